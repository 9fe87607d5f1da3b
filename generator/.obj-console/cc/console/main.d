generator/.obj-console/cc/console/main.o: generator/console/main.c \
 generator/console/console.h generator/profile.h generator/diag.h \
 generator/parse.h generator/diag.h generator/console/ui.h \
 generator/util.h
generator/console/console.h:
generator/profile.h:
generator/diag.h:
generator/parse.h:
generator/diag.h:
generator/console/ui.h:
generator/util.h:
