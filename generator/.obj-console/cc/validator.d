generator/.obj-console/cc/validator.o: generator/validator.c \
 generator/validator.h generator/diag.h generator/profile.h \
 generator/parse.h generator/schema.h generator/yaml_load.h
generator/validator.h:
generator/diag.h:
generator/profile.h:
generator/parse.h:
generator/schema.h:
generator/yaml_load.h:
