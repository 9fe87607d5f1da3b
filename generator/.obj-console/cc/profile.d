generator/.obj-console/cc/profile.o: generator/profile.c \
 generator/profile.h generator/diag.h generator/parse.h \
 generator/digest.h generator/util.h generator/validate.h \
 generator/yaml_load.h
generator/profile.h:
generator/diag.h:
generator/parse.h:
generator/digest.h:
generator/util.h:
generator/validate.h:
generator/yaml_load.h:
