generator/.obj-console/cc/diag.o: generator/diag.c generator/diag.h \
 generator/util.h
generator/diag.h:
generator/util.h:
