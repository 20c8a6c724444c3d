"""Write a stress résumé: 40 positions x 8 highlights of realistic length, with a one-page variant.

Usage: python bench/stress.py [OUT.toml]   (default: stdout). Deterministic: the same file every run.
"""

from __future__ import annotations

import random
import sys

VERBS = ["Led", "Built", "Designed", "Migrated", "Reduced", "Automated", "Scaled", "Launched", "Owned",
         "Negotiated", "Mentored", "Rewrote", "Introduced", "Shipped", "Hardened", "Consolidated"]
OBJECTS = ["the billing pipeline", "a multi-region MySQL fleet", "the search indexing service",
           "our Kafka-based event bus", "the on-call rotation", "a cost dashboard for every team",
           "the deployment system", "the customer-facing API gateway", "a Redis job queue",
           "the data retention policy", "a vendor evaluation process", "the observability stack"]
RESULTS = ["cutting p99 latency by 40%", "saving $1.2M a year", "with zero downtime",
           "for 300 engineers", "serving 2 billion requests a day", "ahead of schedule",
           "reducing incidents by half", "across four data centers", "in close work with finance",
           "while hiring five engineers"]
DETAILS = ["and documented the runbooks", "and trained the support team on it",
           "using Terraform, Puppet and Jenkins", "after a six-week design review",
           "with a gradual, flag-driven rollout", "and presented the results at an all-hands"]


def sentence(rng: random.Random) -> str:
    parts = [rng.choice(VERBS), rng.choice(OBJECTS), rng.choice(RESULTS)]
    if rng.random() < 0.6:
        parts.append(rng.choice(DETAILS))
    return " ".join(parts) + "."


def stress(positions: int = 40, highlights: int = 8, seed: int = 7) -> str:
    rng = random.Random(seed)
    lines = ['[basics]', 'name = "Stress Test"', 'email = "stress@example.com"', ""]
    year = 2026
    for p in range(positions):
        start = year - 1
        lines += ["[[work]]", f'name = "Company {p + 1:02d}"', "", "[[work.positions]]",
                  f'position = "Engineer, team {p + 1}"', f'startDate = "{start}"', f'endDate = "{year}"',
                  "highlights = ["]
        for h in range(highlights):
            text = sentence(rng) + (" " + sentence(rng) if rng.random() < 0.35 else "")
            keep = ", keep = true" if p == 0 and h == 0 else ""
            lines.append(f'  {{ text = "{text}", priority = {1 + (h * 3) // highlights}{keep} }},')
        lines += ["]", ""]
        year = start
    lines += ['[[education]]', 'institution = "State University"', 'studyType = "B.S."', 'area = "Computer Science"', "",
              "[variants.onepage]", 'description = "Forty positions on one page"', "max_pages = 1",
              "fit = { drop_entries = true }", "",
              "[variants.full]", 'description = "Everything"', ""]
    return "\n".join(lines)


if __name__ == "__main__":
    text = stress()
    if len(sys.argv) > 1:
        with open(sys.argv[1], "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


def scaled(text: str, times: int) -> str:
    """A content file's work history repeated `times` times (employers numbered), with one
    variant, `scaled`, that shows everything with no page budget: the same document grows."""
    import tomllib

    import tomlkit

    data = tomllib.loads(text)
    work = data.get("work", [])
    data["work"] = [{**employer, "name": f"{employer['name']} ({copy + 1})"} for copy in range(times)
                    for employer in work]
    data["variants"] = {"scaled": {"description": f"The work history x{times}", "fit": False}}
    return tomlkit.dumps(data)
