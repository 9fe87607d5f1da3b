generator/.obj-console/cc/console/status.o: generator/console/status.c \
 generator/console/console.h generator/profile.h generator/diag.h \
 generator/parse.h generator/util.h
generator/console/console.h:
generator/profile.h:
generator/diag.h:
generator/parse.h:
generator/util.h:
