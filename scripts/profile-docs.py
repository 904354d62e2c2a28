#!/usr/bin/env python3
"""Writes docs/data.md's section on the preset import profiles from their TOML
(agent/profiles/*.toml): each preset's columns and value maps, so the manual
cannot say other than the presets do. tests/docs/check_profiles.sh checks it.

  scripts/profile-docs.py            print the section
  scripts/profile-docs.py --write    replace it in docs/data.md
"""
import pathlib
import sys
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent
BEGIN = "<!-- presets: written by scripts/profile-docs.py from agent/profiles/; do not edit -->"
END = "<!-- end of presets -->"


def section():
    out = [BEGIN, ""]
    for path in sorted((ROOT / "agent" / "profiles").glob("*.toml")):
        t = tomllib.loads(path.read_text())
        rows = t.get("rows", "counts" if t["dataset"] == "appointments" else "records")
        formats = ", ".join(f"`{d}`" for d in t.get("date_formats", ["iso", "ddMMMyyyy"]))
        others = "; other practices' rows passed over" if t.get("other_practices") == "skip" else ""
        out.append(f"#### `{t['name']}`: {t['label']}")
        out.append("")
        out.append(f"Dataset `{t['dataset']}`, rows `{rows}`; dates {formats}{others} "
                   f"(`agent/profiles/{path.name}`).")
        out.append("")
        out.append("| Tributary column | the export's column |")
        out.append("|---|---|")
        for column, source in t["columns"].items():
            out.append(f"| `{column}` | `{source}` |")
        for source, value in t.get("keep_rows_where", {}).items():
            out.append(f"| only rows where | `{source}` is `{value}` |")
        for column, value in t.get("defaults", {}).items():
            out.append(f"| `{column}` | always `{value}` |")
        out.append("")
        for column, words in t.get("values", {}).items():
            out.append(f"`{column}`: " + "; ".join(f"{a} → `{b}`" for a, b in words.items()) + ".")
            out.append("")
        for column, words in t.get("skip_values", {}).items():
            out.append(f"Not counted, by `{column}`: " + ", ".join(words) + ".")
            out.append("")
    out.append(END)
    return "\n".join(out) + "\n"


def main():
    text = section()
    if len(sys.argv) > 1 and sys.argv[1] == "--write":
        doc = ROOT / "docs" / "data.md"
        current = doc.read_text()
        start, end = current.index(BEGIN), current.index(END) + len(END) + 1
        doc.write_text(current[:start] + text + current[end:])
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
