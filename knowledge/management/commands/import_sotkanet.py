"""`manage.py import_sotkanet ID [ID ...] --years 2019-2024`: indicators from THL's Sotkanet.

`--file export.csv` reads the values from a CSV downloaded from Sotkanet instead (its region
ids are still mapped through the API's `/regions`, and the metadata comes from the API).
Running it again changes nothing that has not changed in Sotkanet. Each indicator is stored
in its own transaction: one that fails leaves its earlier data as it was, and the others
are still imported.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from knowledge.importer import import_indicator, import_rows, parse_years
from knowledge.sotkanet import RegionMap, SotkanetClient, SotkanetError, read_csv


class Command(BaseCommand):
    help = (
        "Imports indicators (metadata and values of the counties, cooperation areas, maakunnat "
        "and the whole country) from THL's Sotkanet, by Sotkanet indicator id."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("ids", nargs="*", type=int, metavar="ID", help="Sotkanet ids.")
        parser.add_argument("--years", help="e.g. 2019-2024, 2022 or 2015,2019-2021.")
        parser.add_argument(
            "--file",
            type=Path,
            help="A CSV downloaded from Sotkanet (indicator;region;year;gender;primary value;"
            "absolute value). Without IDs, every indicator in the file is imported.",
        )

    def handle(self, *args, ids: list[int], years: str | None, file: Path | None, **options):
        if file is None and not ids:
            raise CommandError("Give one or more Sotkanet indicator ids, or --file.")
        if file is None and not years:
            raise CommandError("Give the years, e.g. --years 2019-2024.")
        try:
            years_list = parse_years(years) if years else None
            rows = self._read(file, years_list) if file else None
            ids = ids or sorted(rows)
            with SotkanetClient() as client:
                region_map = RegionMap.fetch(client)
                summaries, failures = [], []
                for number, sotkanet_id in enumerate(ids, start=1):
                    try:
                        if rows is None:
                            summary = import_indicator(
                                sotkanet_id=sotkanet_id,
                                years=years_list,
                                client=client,
                                region_map=region_map,
                            )
                        else:
                            summary = import_rows(
                                sotkanet_id=sotkanet_id,
                                rows=rows.get(sotkanet_id, []),
                                client=client,
                                region_map=region_map,
                            )
                    except SotkanetError as exc:
                        if len(ids) == 1:
                            raise
                        failures.append(sotkanet_id)
                        self.stderr.write(f"[{number}/{len(ids)}] {sotkanet_id}: {exc}")
                        continue
                    summaries.append(summary)
                    self.stdout.write(f"[{number}/{len(ids)}] {summary}")
        except SotkanetError as exc:
            raise CommandError(str(exc)) from None
        self._report(summaries)
        if failures:
            raise CommandError(
                f"{len(failures)} of {len(ids)} indicators were not imported: "
                f"{', '.join(map(str, failures))} (see above); their earlier data is as it was."
            )

    def _read(self, file: Path, years: list[int] | None) -> dict:
        try:
            with file.open(encoding="utf-8-sig", newline="") as stream:
                return read_csv(stream, years=years)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}.") from None

    def _report(self, summaries) -> None:
        total = {
            name: sum(getattr(summary, name) for summary in summaries)
            for name in ("added", "changed", "unchanged", "unmatched")
        }
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {len(summaries)} indicator(s): {total['added']} values added, "
                f"{total['changed']} changed, {total['unchanged']} unchanged, "
                f"{total['unmatched']} unmatched."
            )
        )
