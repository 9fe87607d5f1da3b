generator/.obj-console/cc/schema.o: generator/schema.c generator/schema.h \
 generator/profile.h generator/diag.h generator/parse.h
generator/schema.h:
generator/profile.h:
generator/diag.h:
generator/parse.h:
