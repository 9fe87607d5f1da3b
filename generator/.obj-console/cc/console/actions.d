generator/.obj-console/cc/console/actions.o: generator/console/actions.c \
 generator/console/console.h generator/profile.h generator/diag.h \
 generator/parse.h generator/util.h
generator/console/console.h:
generator/profile.h:
generator/diag.h:
generator/parse.h:
generator/util.h:
