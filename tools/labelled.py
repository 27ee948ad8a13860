"""The command line both search tools share: run the entries of a table by label, or list them."""
import argparse


def run_labels(doc: str, table: dict, run, argv=None) -> None:
    "Parse `argv`; with no labels or `--list`, print each `label: what it changes`; else call `run(label, *table[label])`."
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("labels", nargs="*")
    ap.add_argument("--list", action="store_true")
    args = ap.parse_args(argv)
    unknown = [k for k in args.labels if k not in table]
    if unknown: ap.error(f"unknown label(s) {', '.join(unknown)}; choose from {', '.join(table)}")
    if args.list or not args.labels:
        for k, (_, change) in table.items(): print(f"{k}: {change}")
        return
    for label in args.labels: run(label, *table[label])
