# scout-netgen: `make` builds the generator, `make check` runs every test,
# `make bench` the benchmarks. V=1 shows the commands.

PKG_CONFIG ?= pkg-config
CC ?= cc
CFLAGS ?= -O2 -g
PKGS := yaml-0.1 libarchive libcrypto

WARNINGS := -std=gnu11 -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wvla -Wpointer-arith -Wundef -Wno-missing-field-initializers
WERROR ?= -Werror
ALL_CFLAGS = $(WARNINGS) $(WERROR) -D_GNU_SOURCE -MMD -MP $(shell $(PKG_CONFIG) --cflags $(PKGS)) $(CFLAGS)
LDLIBS_GEN = $(shell $(PKG_CONFIG) --libs $(PKGS))
SANITIZE := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

# One folder per program and one for the library they share (see README,
# "Layout"); every source list is a folder's wildcard. A program's sources
# see the library's headers and their own folder's, nothing else.
LIB_SRCS := $(wildcard generator/lib/*.c)
NETGEN_SRCS := $(wildcard generator/netgen/*.c)
FW_SRCS := $(wildcard generator/host-iptables/*.c)
CONSOLE_SRCS := $(wildcard generator/console/*.c)
INCLUDES := -Igenerator/lib
# What the unit tests and fuzzers link: the generator's modules without its
# main(), and the library.
NETGEN_MODULES := $(filter-out generator/netgen/main.c,$(NETGEN_SRCS))

OUT ?= build
OBJ := generator/.obj
SAN := generator/.obj-san
FUZZ := tests/.fuzz
# host-iptables and scout-console are built with $(CC) (a cross compiler
# builds them for another image architecture): their objects and the
# library's are kept per compiler, in TGT.
TGT = generator/.obj-target/$(notdir $(CC))

ifeq ($(V),1)
Q :=
else
Q := @
endif

all: generator/scout-netgen

# The objects, one rule per kind: the generator's (plain and, for the
# tests, with AddressSanitizer and UBSan) and the per-compiler ones. The
# latter are written under a temporary name and renamed: builds into other
# OUT directories may share them at the same time.
$(OBJ)/%.o: generator/%.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) $(INCLUDES) -c -o $@ $<

$(SAN)/%.o: generator/%.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC-SAN  $<")
	$(Q)$(CC) $(ALL_CFLAGS) $(INCLUDES) $(SANITIZE) -c -o $@ $<

$(TGT)/%.o: generator/%.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) $(WARNINGS) $(WERROR) -D_GNU_SOURCE -MMD -MP -MT $@ -MF $(@:.o=.d) $(INCLUDES) \
		$(shell $(PKG_CONFIG) --cflags $(TGT_PKGS)) $(CFLAGS) -c -o $@.$$$$.tmp $< && mv $@.$$$$.tmp $@

# The shared library, once per kind of object.
$(OBJ)/libscout.a: $(LIB_SRCS:generator/%.c=$(OBJ)/%.o)
$(SAN)/libscout.a: $(LIB_SRCS:generator/%.c=$(SAN)/%.o)
$(TGT)/libscout.a: $(LIB_SRCS:generator/%.c=$(TGT)/%.o)
$(FUZZ)/obj/libscout.a: $(LIB_SRCS:generator/%.c=$(FUZZ)/obj/%.o)
%/libscout.a:
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@.$$$$.tmp && $(AR) rcs $@.$$$$.tmp $^ && mv $@.$$$$.tmp $@

generator/scout-netgen: $(NETGEN_SRCS:generator/%.c=$(OBJ)/%.o) $(OBJ)/libscout.a
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS_GEN)

# The test build: the same sources with AddressSanitizer and UBSan.
generator/scout-netgen-san: $(NETGEN_SRCS:generator/%.c=$(SAN)/%.o) $(SAN)/libscout.a
	@$(if $(Q),echo "  LD-SAN  $@")
	$(Q)$(CC) $(CFLAGS) $(SANITIZE) $(LDFLAGS) -o $@ $^ $(LDLIBS_GEN)

# host-iptables: the hand-written runtime (generator/host-iptables/)
# together with the rule set the generator wrote into $(OUT)/rules.c. The
# runtime's objects are the same for every profile; only rules.c is
# compiled per build, in $(OUT). Debian ships libip4tc/libip6tc only as
# shared libraries.
LIB_PKGS := yaml-0.1 libcrypto
FW_PKGS := libip4tc libip6tc
$(TGT)/lib/%.o: TGT_PKGS = $(LIB_PKGS)
$(TGT)/host-iptables/%.o: TGT_PKGS = $(FW_PKGS)

$(OUT)/.rules.o: $(OUT)/rules.c
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) $(WARNINGS) $(WERROR) $(INCLUDES) $(CFLAGS) -c -o $@ $<

# Stripped: the image needs no debug information, and the overlay must not
# depend on the directories it was built in. rules.c is data, needing
# nothing of the library: linked last, as before the library was one.
$(OUT)/host-iptables: $(FW_SRCS:generator/%.c=$(TGT)/%.o) $(TGT)/libscout.a $(OUT)/.rules.o
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -s -o $@ $^ $(shell $(PKG_CONFIG) --libs $(FW_PKGS))

# The firewall program for the rule set in $(OUT)/rules.c (scout-netgen rules).
host-iptables: $(OUT)/host-iptables

# scout-console: the owner's menu (generator/console/) on ncurses, with the
# library's profile loader; the same program for every profile, so it is
# only linked into $(OUT).
CONSOLE_PKGS := ncursesw menuw formw libnetfilter_conntrack libsystemd libmnl yaml-0.1 libcrypto
$(TGT)/console/%.o: TGT_PKGS = $(CONSOLE_PKGS)

$(OUT)/scout-console: $(CONSOLE_SRCS:generator/%.c=$(TGT)/%.o) $(TGT)/libscout.a
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -s -o $@.$$$$.tmp $^ $(shell $(PKG_CONFIG) --libs $(CONSOLE_PKGS)) && mv $@.$$$$.tmp $@

scout-console: $(OUT)/scout-console

# Unit tests (the sanitizer build): each links the generator's modules and
# the library; test_console the console's actions and run.c instead (its
# checks and texts, no terminal needed).
UNIT_TESTS := $(patsubst tests/unit/%.c,tests/.bin/%,$(wildcard tests/unit/test_*.c))
TEST_INCLUDES := $(INCLUDES) -Igenerator/netgen -Igenerator

tests/.bin/%: tests/unit/%.c $(NETGEN_MODULES:generator/%.c=$(SAN)/%.o) $(SAN)/libscout.a
	@mkdir -p $(@D)
	@$(if $(Q),echo "  TEST-CC $@")
	$(Q)$(CC) $(ALL_CFLAGS) $(SANITIZE) $(TEST_INCLUDES) -o $@ $^ $(LDLIBS_GEN) \
		$(shell $(PKG_CONFIG) --libs cmocka)

tests/.bin/test_console: tests/unit/test_console.c $(SAN)/console/actions.o $(SAN)/console/run.o \
		$(SAN)/libscout.a
	@mkdir -p $(@D)
	@$(if $(Q),echo "  TEST-CC $@")
	$(Q)$(CC) $(ALL_CFLAGS) $(SANITIZE) $(TEST_INCLUDES) -o $@ $^ $(LDLIBS_GEN) \
		$(shell $(PKG_CONFIG) --libs cmocka)

tests/.bin/test_console_wifi: tests/unit/test_console_wifi.c $(SAN)/console/wifi_text.o $(SAN)/libscout.a
	@mkdir -p $(@D)
	@$(if $(Q),echo "  TEST-CC $@")
	$(Q)$(CC) $(ALL_CFLAGS) $(SANITIZE) $(TEST_INCLUDES) -o $@ $^ $(LDLIBS_GEN) \
		$(shell $(PKG_CONFIG) --libs cmocka)

tests/.bin/test_console_wg: tests/unit/test_console_wg.c $(SAN)/console/wg.o $(SAN)/libscout.a
	@mkdir -p $(@D)
	@$(if $(Q),echo "  TEST-CC $@")
	$(Q)$(CC) $(ALL_CFLAGS) $(SANITIZE) $(TEST_INCLUDES) -o $@ $^ $(LDLIBS_GEN) \
		$(shell $(PKG_CONFIG) --libs cmocka libmnl)

TOOLS := tests/.bin/listener tests/.bin/probe tests/.bin/longname.so tests/.bin/grow.so tests/.bin/fake-iwd

tests/.bin/listener tests/.bin/probe: tests/.bin/%: tests/tools/%.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  TOOL    $@")
	$(Q)$(CC) $(WARNINGS) $(WERROR) -D_GNU_SOURCE $(CFLAGS) -o $@ $<

# iwd's settings parser (ell), for tests/wifi.sh: only make check needs it.
CHECK_TOOLS := tests/.bin/iwd-settings
tests/.bin/iwd-settings: tests/tools/iwd-settings.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  TOOL    $@")
	$(Q)$(CC) $(WARNINGS) $(WERROR) -D_GNU_SOURCE $(CFLAGS) $(shell $(PKG_CONFIG) --cflags ell) -o $@ $< \
		$(shell $(PKG_CONFIG) --libs ell)

tests/.bin/longname.so tests/.bin/grow.so: tests/.bin/%.so: tests/tools/%.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  TOOL    $@")
	$(Q)$(CC) $(WARNINGS) $(WERROR) -D_GNU_SOURCE $(CFLAGS) -shared -fPIC -o $@ $< -ldl

# iwd's D-Bus API for tests/console.sh, on sd-bus.
tests/.bin/fake-iwd: tests/tools/fake-iwd.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  TOOL    $@")
	$(Q)$(CC) $(WARNINGS) $(WERROR) -D_GNU_SOURCE $(shell $(PKG_CONFIG) --cflags libsystemd) $(CFLAGS) -o $@ $< \
		$(shell $(PKG_CONFIG) --libs libsystemd)

deps-check:
	$(Q)./build.sh deps check

# Every suite runs even when an earlier one fails; tests/run.sh prints the
# totals and fails if anything did.
check: deps-check
	$(Q)$(MAKE) --no-print-directory $(if $(Q),-s) all generator/scout-netgen-san $(UNIT_TESTS) $(TOOLS) $(CHECK_TOOLS)
	$(Q)tests/run.sh $(UNIT_TESTS)

# The live ISO (./build.sh image, base cached) booted in QEMU, with the
# network of NETWORK.md proven on it, then over Wi-Fi only, then over
# WireGuard (needs root; a few minutes each). Each runs even when an
# earlier one fails.
check-image: all $(TOOLS)
	$(Q)./build.sh deps image
	$(Q)status=0; for t in image image-wifi image-wg; do bash tests/$$t.sh || status=1; done; exit $$status

# The image's figures: a cold build (empty cache), a rebuild after a
# profile change, the ISO's size and the boot times of check-image.
bench-image: all $(TOOLS)
	$(Q)./build.sh deps image
	$(Q)bash tests/bench-image.sh

# Apply-time benchmark of host-iptables against iptables-legacy-restore and
# per-rule iptables processes; prints medians and ratios (needs root).
bench: all $(TOOLS)
	$(Q)./build.sh deps check
	$(Q)tests/bench.sh

# Static analysis, zero findings wanted: cppcheck over every C file, and
# clang's analyzer (scan-build) over the generator, host-iptables (for the
# default profile), scout-console and the test tools.
ANALYZE := build/analyze
CPPCHECK_FLAGS := -q --enable=warning,performance,portability,style --inline-suppr \
	--error-exitcode=1 --std=c11 -D_GNU_SOURCE $(TEST_INCLUDES)
analyze: all
	$(Q)./build.sh deps check
	cppcheck $(CPPCHECK_FLAGS) generator tests/tools tests/unit tests/fuzz
	scan-build --status-bugs -o $(ANALYZE)/reports $(MAKE) -s -B CC=clang WERROR= \
		generator/scout-netgen $(TOOLS)
	generator/scout-netgen rules -q -o $(ANALYZE)
	scan-build --status-bugs -o $(ANALYZE)/reports $(MAKE) -s -B CC=clang WERROR= \
		host-iptables scout-console OUT=$(ANALYZE)

# libFuzzer targets (clang) with ASan and UBSan: make fuzz runs each for
# FUZZ_SECONDS (default 10 minutes) from its seed corpus; a crash fails.
FUZZ_SECONDS ?= 600
FUZZ_CFLAGS := -g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all

$(FUZZ)/obj/%.o: generator/%.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC-FUZZ $<")
	$(Q)clang $(WARNINGS) -D_GNU_SOURCE $(INCLUDES) $(shell $(PKG_CONFIG) --cflags $(PKGS)) $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ)/fuzz_%: tests/fuzz/fuzz_%.c $(NETGEN_MODULES:generator/%.c=$(FUZZ)/obj/%.o) $(FUZZ)/obj/libscout.a
	@$(if $(Q),echo "  FUZZER  $@")
	$(Q)clang $(WARNINGS) -D_GNU_SOURCE $(TEST_INCLUDES) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $^ $(LDLIBS_GEN)

fuzz: $(FUZZ)/fuzz_profile $(FUZZ)/fuzz_template
	$(Q)./build.sh deps check
	$(Q)for t in profile template; do \
		mkdir -p $(FUZZ)/corpus-$$t $(FUZZ)/crashes && \
		echo "fuzz_$$t: $(FUZZ_SECONDS) s" && \
		$(FUZZ)/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
			-artifact_prefix=$(FUZZ)/crashes/$$t- -print_final_stats=1 \
			$(FUZZ)/corpus-$$t tests/fuzz/$$t-seeds 2>$(FUZZ)/$$t.log || \
			{ tail -40 $(FUZZ)/$$t.log; exit 1; }; \
		grep -E '^stat::number_of_executed_units|^Done' $(FUZZ)/$$t.log; \
	done

clean:
	rm -rf $(OBJ) $(SAN) generator/.obj-target tests/.bin $(FUZZ) generator/scout-netgen \
		generator/scout-netgen-san

.PHONY: all analyze bench bench-image check check-image clean deps-check fuzz host-iptables scout-console
.DELETE_ON_ERROR:
# Keep the objects of pattern chains (fuzzers, host-iptables) between runs.
.SECONDARY:

-include $(wildcard $(OBJ)/*/*.d $(SAN)/*/*.d $(TGT)/*/*.d tests/.bin/*.d)
