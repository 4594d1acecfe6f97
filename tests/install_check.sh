#!/bin/bash
# install_check.sh BUILD_DIR: `cmake --install` into a temporary prefix puts
# the binary, the man page and the bash completion where they belong; the
# man page is the one the binary prints; the completion script parses
# (bash -n) and completes commands, options, values and files.
set -u
build=$1
prefix=$(mktemp -d) || exit 1
trap 'rm -rf "$prefix"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$prefix" >/dev/null || fail "cmake --install"
bin=$prefix/bin/fianza
man=$prefix/share/man/man1/fianza.1
comp=$prefix/share/bash-completion/completions/fianza
for f in "$bin" "$man" "$comp"; do
    [[ -s $f ]] || fail "$f not installed"
done
[[ -x $bin ]] || fail "$bin not executable"
"$bin" --version | grep -Eq '^fianza [0-9]+\.[0-9]+\.[0-9]+' || fail "fianza --version"
cmp -s <("$bin" --help-man) "$man" || fail "the installed fianza.1 is not what fianza --help-man prints"
grep -q '^\.TH FIANZA 1' "$man" || fail "fianza.1 has no .TH line"
if command -v groff >/dev/null; then
    warn=$(groff -man -Tutf8 -ww -z "$man" 2>&1) || fail "groff: $warn"
    [[ -z $warn ]] || fail "groff warns: $warn"
fi
bash -n "$comp" || fail "bash -n $comp"

# complete WORDS...: COMPREPLY (one per line) for the last word, as bash
# would ask for it after <TAB>.
complete_words() {
    bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _fianza; printf "%s\n" "${COMPREPLY[@]}"' \
        _ "$comp" "$@"
}
work=$(mktemp -d) || exit 1
trap 'rm -rf "$prefix" "$work"' EXIT
cd "$work" || exit 1
got=$(complete_words fianza opt)
[[ $got == optimize ]] || fail "fianza opt<TAB>: '$got', expected optimize"
got=$(complete_words fianza fit --col)
[[ $got == --column ]] || fail "fianza fit --col<TAB>: '$got'"
got=$(complete_words fianza fit --se)
[[ -z $got ]] || fail "fianza fit --se<TAB>: '$got' (fit has no --seed)"
got=$(complete_words fianza compare --policy fi)
[[ $got == first_come ]] || fail "--policy fi<TAB>: '$got'"
touch a.ini b.csv c.txt
got=$(complete_words fianza optimize "")
[[ $got == a.ini ]] || fail "fianza optimize <TAB>: '$got', expected a.ini"
got=$(complete_words fianza fit "")
[[ $got == b.csv ]] || fail "fianza fit <TAB>: '$got', expected b.csv"
printf 'id,bond_usd\r\n1,500\r\n' >b.csv
got=$(complete_words fianza fit b.csv --column bo)
[[ $got == bond_usd ]] || fail "fianza fit b.csv --column bo<TAB>: '$got'"
echo "install: ok ($prefix)"
