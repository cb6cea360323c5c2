#!/usr/bin/perl
# The docs stand alone: every relative link in README.md and docs/*.md leads to a file of the
# repository and, with #anchor, to a heading of that file (GitHub's anchors); no doc names a
# file outside the repository (DESIGN.md, ../shared) or work promised for "later issues".
# Usage: check_links.pl REPOSITORY_ROOT. Prints every problem; exits 1 when there is one.
# perl-base only (Essential on Debian): no modules beyond strict, warnings and utf8.
use strict;
use warnings;
use utf8;

my $root = shift @ARGV or die "usage: $0 REPOSITORY_ROOT\n";
binmode STDOUT, ':utf8';
binmode STDERR, ':utf8';

opendir(my $dh, "$root/docs") or die "$root/docs: $!\n";
my @docs = ('README.md', map { "docs/$_" } sort grep { /\.md\z/ } readdir $dh);
closedir $dh;

sub read_text {
  my ($file) = @_;
  open(my $in, '<:utf8', $file) or return undef;
  local $/;
  my $text = <$in>;
  close $in;
  return $text;
}

# The lines outside fenced code blocks (``` or ~~~), with their numbers.
sub prose_lines {
  my ($text) = @_;
  my @out;
  my $fence = '';
  my $n = 0;
  for my $line (split /\n/, $text) {
    ++$n;
    if ($line =~ /^\s*(```|~~~)/) {
      if ($fence eq '') { $fence = $1 } elsif ($1 eq $fence) { $fence = '' }
      next;
    }
    push @out, [$n, $line] if $fence eq '';
  }
  return @out;
}

# GitHub's anchor of a heading: its text as shown (inline markup gone), lower case, every
# character but letters, digits, '_', '-' and spaces dropped, each space a '-'; the second
# heading with the same anchor gets "-1", the third "-2".
sub anchors {
  my ($text) = @_;
  my (%seen, %anchors);
  for (prose_lines($text)) {
    my $line = $_->[1];
    next unless $line =~ /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*\z/;
    my $h = $1;
    $h =~ s/!?\[([^\]]*)\]\([^)]*\)/$1/g;  # links and images: their text
    $h =~ s/<[^>]+>//g;                    # inline HTML
    $h =~ s/[`*]//g;                       # code and emphasis marks (GitHub keeps '_')
    my $anchor = lc $h;
    $anchor =~ s/[^\p{Word}\- ]//g;
    $anchor =~ s/ /-/g;
    my $unique = exists $seen{$anchor} ? "$anchor-" . ++$seen{$anchor} : $anchor;
    $seen{$anchor} //= 0;
    $anchors{$unique} = 1;
  }
  return \%anchors;
}

# A relative path with its "." and ".." parts resolved; undef when it leaves the repository.
sub resolve {
  my ($path) = @_;
  my @parts;
  for my $part (split m{/}, $path) {
    next if $part eq '' || $part eq '.';
    if ($part eq '..') { return undef unless @parts; pop @parts; next }
    push @parts, $part;
  }
  return join '/', @parts;
}

my @problems;
my %anchor_cache;
for my $doc (@docs) {
  my $text = read_text("$root/$doc");
  defined $text or do { push @problems, "$doc: cannot read"; next };
  (my $dir = $doc) =~ s{[^/]*\z}{};
  for (prose_lines($text)) {
    my ($n, $line) = @$_;
    push @problems, "$doc:$n: names DESIGN.md, which is not in the repository"
      if $line =~ /DESIGN\.md/;
    push @problems, "$doc:$n: points outside the repository (../shared)"
      if $line =~ m{\.\./shared};
    push @problems, "$doc:$n: promises \"later issues\": say what is there now"
      if $line =~ /later issues?/i;
    (my $plain = $line) =~ s/`[^`]*`//g;  # a link written in code is not a link
    while ($plain =~ /\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g) {
      my $target = $1;
      next if $target =~ m{^[a-z][a-z0-9+.-]*:}i;  # http:, https:, mailto:, file:
      my ($path, $anchor) = $target =~ /\A([^#]*)(?:#(.*))?\z/;
      my $file = $path eq '' ? $doc : resolve("$dir$path");
      if (!defined $file || !-e "$root/$file") {
        push @problems, "$doc:$n: link to $target: no such file in the repository";
        next;
      }
      next unless defined $anchor && $anchor ne '';
      if (!-f "$root/$file" || $file !~ /\.md\z/) {
        push @problems, "$doc:$n: link to $target: an anchor into a file that is no markdown";
        next;
      }
      $anchor_cache{$file} //= anchors(read_text("$root/$file") // '');
      push @problems, "$doc:$n: link to $target: $file has no heading with that anchor"
        unless $anchor_cache{$file}{$anchor};
    }
  }
}

print "$_\n" for @problems;
printf "%d document(s) checked, %d problem(s)\n", scalar @docs, scalar @problems;
exit(@problems ? 1 : 0);
