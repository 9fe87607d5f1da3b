generator/.obj-console/cc/parse.o: generator/parse.c generator/parse.h
generator/parse.h:
