generator/.obj-console/cc/console/run.o: generator/console/run.c \
 generator/console/console.h generator/profile.h generator/diag.h \
 generator/parse.h generator/util.h
generator/console/console.h:
generator/profile.h:
generator/diag.h:
generator/parse.h:
generator/util.h:
