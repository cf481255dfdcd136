"""Command line: python -m loaders build | check | export | import | new-id."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from loaders.base import ValidationFailed, new_id
from loaders.build import build_database, ensure_database, print_progress
from loaders.checks import MAX_PER_KIND, check_package
from loaders.export import export_package
from loaders.importing import import_snapshot
from model.dates import DateGrammarError, parse_date
from model.db import DEFAULT_DATA_DIR, database_url
from model.queries import EventFilter


def _codes(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _date(text: str) -> str:
    try:
        parse_date(text)
    except DateGrammarError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m loaders", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    data_help = "data package directory (default: the project's data/)"
    db_help = "database URL (default: $DATABASE_URL, else the embedded SQLite file)"

    build = commands.add_parser("build", help="validate data/ and build the database, all or nothing")
    build.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR, help=data_help)
    build.add_argument("--db", help=db_help)

    check = commands.add_parser("check", help="validate data/ only; exit 1 listing every problem")
    check.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR, help=data_help)
    check.add_argument("--all", action="store_true", help="list every warning (default: the first 20 of each kind)")

    export = commands.add_parser("export", help="write a filtered data package (CSV + datapackage.json + README)")
    export.add_argument("--out", type=Path, required=True, help="directory to write")
    export.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR, help=data_help + "; built first if newer")
    export.add_argument("--db", help=db_help)
    export.add_argument("--designator", type=_codes, default=(), help="comma-separated designator codes, e.g. RU,KZ")
    export.add_argument("--group", type=_codes, default=(), help="comma-separated group ids")
    export.add_argument(
        "--from", dest="date_from", type=_date, help="keep events whose act date may be on or after this date"
    )
    export.add_argument(
        "--to", dest="date_to", type=_date, help="keep events whose act date may be on or before this date"
    )

    importer = commands.add_parser("import", help="validate a snapshot of an official list, show its changes, store it")
    importer.add_argument("slug", help="source slug: a file data/sources/<slug>.yml")
    importer.add_argument("file", type=Path, help="the downloaded list file")
    importer.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR, help=data_help)
    importer.add_argument("--date", type=_date, help="snapshot date, for files that do not state their own")
    importer.add_argument("--retrieved", type=_date, help="date the file was downloaded (default: today)")
    importer.add_argument("--url", help="where the file was downloaded from (default: the source's URL)")
    importer.add_argument("--copy-url", help="address of the copy used, when not the official URL")

    ident = commands.add_parser("new-id", help="print a fresh opaque id for a new group or event")
    ident.add_argument("kind", choices=["group", "event"])
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; return the process exit status."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "build":
            report = build_database(args.data, args.db, print_progress)
            print(f"built {database_url(args.db).split('@')[-1]}")
            print(report.summary())
        elif args.command == "check":
            errors, report = check_package(args.data, None if args.all else MAX_PER_KIND)
            if errors:
                raise ValidationFailed(errors)
            print(f"{args.data}: no errors")
            print(report.summary())
        elif args.command == "export":
            ensure_database(args.data, args.db, print_progress)
            filters = EventFilter(args.designator, args.group, args.date_from, args.date_to)
            counts = export_package(args.out, args.db, filters)
            for name, count in counts.items():
                print(f"{args.out / (name + '.csv')}: {count} rows")
        elif args.command == "import":
            for line in import_snapshot(
                args.slug,
                args.file,
                args.data,
                snapshot_date=args.date,
                retrieved=args.retrieved,
                url=args.url,
                copy_url=args.copy_url,
            ):
                print(line)
        elif args.command == "new-id":
            print(new_id("g" if args.kind == "group" else "e"))
    except ValidationFailed as failure:
        print(f"{len(failure.errors) + failure.suppressed} error(s); nothing was written:", file=sys.stderr)
        print(str(failure), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
