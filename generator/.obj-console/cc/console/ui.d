generator/.obj-console/cc/console/ui.o: generator/console/ui.c \
 generator/console/ui.h generator/util.h
generator/console/ui.h:
generator/util.h:
