"""The baselines each measure is divided by: the plainest way to do the same work, run in the same process."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlmodel import SQLModel

from model import tables as t

DERIVED_COLUMNS = ["act_date", "act_date_earliest", "act_date_latest", "is_first_formal_listing"]


def _csv_tables(data_dir: Path):
    """Yield (table, columns, primary key, rows) for each package file that is a database table.

    Read with the csv module; events and sources get the derived columns the indexes need: the act date
    as the first non-empty of the three dates (no parsing), a constant first-listing flag, a zero citation
    count.
    """
    descriptor = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        if resource["name"] not in SQLModel.metadata.tables:
            continue
        with (data_dir / resource["path"]).open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            if resource["name"] == "events":
                dates = [header.index(c) for c in ("decision_date", "publication_date", "entry_into_force_date")]
                rows = []
                for row in reader:
                    act = row[dates[0]] or row[dates[1]] or row[dates[2]]
                    rows.append((*row, act, act, act, 0))
                header = header + DERIVED_COLUMNS
            elif resource["name"] == "sources":
                rows = [(*row, 0) for row in reader]
                header = [*header, "cited_by"]
            else:
                rows = [tuple(row) for row in reader]
        yield resource["name"], header, resource["schema"]["primaryKey"], rows


def _create_table(name: str, header: list[str], key: list[str]) -> str:
    return f"CREATE TABLE {name} ({', '.join(f'{c} TEXT' for c in header)}, PRIMARY KEY ({', '.join(key)}))"


def sqlite_build(data_dir: Path, path: Path) -> None:
    """csv module + raw DB-API executemany of the package's rows in one transaction, then the same indexes."""
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path)
    with connection:
        for name, header, key, rows in _csv_tables(data_dir):
            connection.execute(_create_table(name, header, key))
            marks = ", ".join("?" * len(header))
            connection.executemany(f"INSERT INTO {name} VALUES ({marks})", rows)  # noqa: S608
        for statement in t.INDEX_STATEMENTS:
            connection.execute(statement)
    connection.close()


def postgres_build(data_dir: Path, url: str) -> None:
    """csv module + raw psycopg COPY of the package's rows in one transaction, then the same indexes."""
    import psycopg

    schema = "bench_baseline"
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as connection:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            cursor.execute(f"CREATE SCHEMA {schema}")
            cursor.execute(f"SET search_path TO {schema}")
            for name, header, key, rows in _csv_tables(data_dir):
                cursor.execute(_create_table(name, header, key))
                with cursor.copy(f"COPY {name} FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            for statement in t.INDEX_STATEMENTS:
                cursor.execute(statement)
        connection.commit()


def postgres_cleanup(url: str) -> None:
    """Drop what postgres_build created (outside the timed part)."""
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as connection:
        connection.execute("DROP SCHEMA IF EXISTS bench_baseline CASCADE")


def sqlite3_cli_available() -> bool:
    return shutil.which("sqlite3") is not None


def sqlite3_csv_export(path: Path, out: Path) -> None:
    """The sqlite3 shell writing every event as CSV with a header."""
    with out.open("wb") as handle:
        subprocess.run(
            ["sqlite3", "-csv", "-header", str(path), "SELECT * FROM events ORDER BY act_date_earliest"],
            stdout=handle,
            check=True,
        )
