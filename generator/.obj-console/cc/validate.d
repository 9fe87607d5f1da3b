generator/.obj-console/cc/validate.o: generator/validate.c \
 generator/validate.h generator/diag.h generator/profile.h \
 generator/parse.h generator/yaml_load.h generator/util.h \
 generator/validator.h generator/schema.h
generator/validate.h:
generator/diag.h:
generator/profile.h:
generator/parse.h:
generator/yaml_load.h:
generator/util.h:
generator/validator.h:
generator/schema.h:
