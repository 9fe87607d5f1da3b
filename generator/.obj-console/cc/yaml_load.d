generator/.obj-console/cc/yaml_load.o: generator/yaml_load.c \
 generator/yaml_load.h generator/diag.h generator/util.h
generator/yaml_load.h:
generator/diag.h:
generator/util.h:
