generator/.obj-console/cc/util.o: generator/util.c generator/util.h
generator/util.h:
