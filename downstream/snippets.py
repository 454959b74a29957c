"""README's downstream snippets are copies of the files that downstream/run.sh tests.

In README.md a line `<!-- snippet: PATH#NAME -->` stands before a fenced code block; the block must
equal the lines between `--8<-- [start:NAME]` and `--8<-- [end:NAME]` in PATH (dedented).
--check fails (exit 1, naming the snippet) when one differs; --write copies the files into README.
"""
import pathlib
import re
import sys
import textwrap

ROOT = pathlib.Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
MARK = re.compile(r"^<!-- snippet: (\S+)#(\S+) -->$")


def region(path, name):
    lines = (ROOT / path).read_text(encoding="utf-8").splitlines()
    start = [i for i, l in enumerate(lines) if f"--8<-- [start:{name}]" in l]
    end = [i for i, l in enumerate(lines) if f"--8<-- [end:{name}]" in l]
    if len(start) != 1 or len(end) != 1 or end[0] <= start[0]:
        sys.exit(f"snippets: no single region {name} in {path}")
    return textwrap.dedent("\n".join(lines[start[0] + 1:end[0]])).strip("\n").splitlines()


def main(mode):
    lines = README.read_text(encoding="utf-8").splitlines()
    out, i, bad, seen = [], 0, [], 0
    while i < len(lines):
        out.append(lines[i])
        m = MARK.match(lines[i])
        if not m:
            i += 1
            continue
        seen += 1
        fence = lines[i + 1]
        if not fence.startswith("```"):
            sys.exit(f"snippets: no code block after {lines[i]}")
        close = next(j for j in range(i + 2, len(lines)) if lines[j] == "```")
        want = region(m.group(1), m.group(2))
        if lines[i + 2:close] != want:
            bad.append(f"{m.group(1)}#{m.group(2)}")
        out += [fence, *want, "```"]
        i = close + 1
    if seen == 0:
        sys.exit("snippets: README.md has no snippet marks")
    if mode == "--write":
        README.write_text("\n".join(out) + "\n", encoding="utf-8")
    elif bad:
        print("snippets: README.md differs from " + ", ".join(bad), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "--check")
