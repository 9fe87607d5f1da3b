generator/.obj-console/cc/digest.o: generator/digest.c generator/digest.h
generator/digest.h:
