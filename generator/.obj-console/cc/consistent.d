generator/.obj-console/cc/consistent.o: generator/consistent.c \
 generator/util.h generator/validator.h generator/diag.h \
 generator/profile.h generator/parse.h generator/schema.h \
 generator/yaml_load.h
generator/util.h:
generator/validator.h:
generator/diag.h:
generator/profile.h:
generator/parse.h:
generator/schema.h:
generator/yaml_load.h:
