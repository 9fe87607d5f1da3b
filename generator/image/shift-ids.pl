#!/usr/bin/perl
# find DIR -print0 | shift-ids.pl BASE: adds BASE to the owner and group
# of every path read (NUL-ended). The container runs with private users,
# and on a live root nspawn cannot chown at boot, so the image's tree is
# owned that way already. A file with several names (hard links) is
# shifted once; chown clears set-id bits, so the mode is put back.
use strict;
use warnings;
use POSIX ();

my $base = shift @ARGV // '';
die "usage: find DIR -print0 | shift-ids.pl BASE\n" unless $base =~ /^[0-9]+$/ && !@ARGV;
local $/ = "\0";
my %seen;
while (my $path = <STDIN>) {
	chomp $path;
	my @s = lstat($path) or die "$path: $!\n";
	next if $seen{"$s[0]:$s[1]"}++;
	POSIX::lchown($s[4] + $base, $s[5] + $base, $path) or die "$path: $!\n";
	next if -l _;
	chmod($s[2] & 07777, $path) or die "$path: $!\n";
}
