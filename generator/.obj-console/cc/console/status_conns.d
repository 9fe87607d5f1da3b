generator/.obj-console/cc/console/status_conns.o: \
 generator/console/status_conns.c generator/console/console.h \
 generator/profile.h generator/diag.h generator/parse.h
generator/console/console.h:
generator/profile.h:
generator/diag.h:
generator/parse.h:
