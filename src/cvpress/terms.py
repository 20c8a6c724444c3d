"""Posting terms: what a job posting asks for, and where a résumé's own words say it.

A term is a technology, skill, practice or responsibility a posting names, with the other ways to
write it (Postgres/PostgreSQL, k8s/Kubernetes, AWS/Amazon Web Services). Terms come from two
places: the table of known terms below, found in the posting under any of their spellings, and
the posting's own proper nouns (Kafka, Terraform, GraphQL: words capitalised inside a sentence,
or written in capitals or CamelCase), so a technology the table does not know still counts.

Text matches a term when one of its spellings occurs in it as whole words, after folding case,
accents, punctuation and plurals; or, for a single long word, nearly (rapidfuzz: "micro-services",
"Elastic Search"). `chosen` picks the highlights that say a posting's terms, ranked by BM25 (rank-bm25)
over all the highlights. Nothing here writes text: it only finds the user's own words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from cvpress.locate import format_path

# Known terms: the name shown first, then other spellings and near-synonyms. Lower case is folded.
KNOWN: tuple[tuple[str, ...], ...] = (
    # data stores and messaging
    ("PostgreSQL", "Postgres", "psql"), ("MySQL", "MariaDB"), ("Redis",), ("Memcached",),
    ("Cassandra",), ("MongoDB", "Mongo"), ("DynamoDB", "Amazon DynamoDB"), ("Kafka", "Apache Kafka"),
    ("Kinesis",), ("RabbitMQ",), ("Elasticsearch", "Elastic Search", "OpenSearch"), ("Solr", "Apache Solr"),
    ("ZooKeeper",), ("SQL",), ("databases", "database", "DBA", "database administration"),
    ("storage", "data storage", "storage engineering"), ("search", "search clusters"),
    ("replication",), ("sharding",), ("backups", "disaster recovery"), ("solid state disks", "SSD", "SSDs"),
    # infrastructure and operations
    ("Amazon Web Services", "AWS"), ("Google Cloud Platform", "GCP", "Google Cloud"),
    ("Microsoft Azure", "Azure"), ("Kubernetes", "k8s"), ("Docker", "containers"), ("Terraform",),
    ("Ansible",), ("Puppet",), ("Chef",), ("configuration management",), ("Linux", "Linux administration"),
    ("HAProxy",), ("nginx",), ("Jenkins",), ("continuous integration", "CI", "CI/CD", "deployment pipeline",
                                               "code deployment"),
    ("monitoring", "observability", "metrics", "alerting"), ("Graphite",), ("Prometheus",), ("Grafana",),
    ("site reliability engineering", "SRE", "site reliability"), ("on-call", "on call", "pager"),
    ("incident response", "incident management", "incidents", "outages"),
    ("capacity planning",), ("auto-scaling", "autoscaling"), ("spot instances", "spot instance"),
    ("infrastructure", "infrastructure engineering"), ("technical operations", "operations", "ops"),
    ("data center", "datacenter", "data centers"), ("networking", "network management"),
    ("performance", "latency", "response times"), ("scalability", "scale"),
    ("reliability", "availability", "uptime"), ("distributed systems",), ("microservices", "microservice"),
    ("service discovery",), ("job queue", "queues", "queue"), ("APIs", "API", "REST API", "REST"),
    ("security",), ("cost reduction", "cost savings", "operational costs", "costs", "cost"),
    # languages and the web
    ("Python",), ("Go", "Golang"), ("Java",), ("Ruby",), ("PHP",), ("C++",), ("Rust",),
    ("JavaScript", "JS", "ECMAScript"), ("TypeScript",), ("HTML", "HTML5"), ("CSS", "CSS3", "Sass"),
    ("React", "React.js", "ReactJS"), ("Vue", "Vue.js"), ("Angular",), ("Node.js", "Node", "NodeJS"),
    ("AJAX",), ("GraphQL",), ("front-end", "frontend", "front end"), ("back-end", "backend", "back end"),
    ("accessibility", "a11y", "WCAG"), ("usability", "user experience", "UX"), ("design systems",),
    ("web performance", "perceived performance", "page load"), ("customer experience",),
    ("onboarding",), ("conversion rate", "conversion"),
    # leadership and ways of working
    ("people management", "managing engineers", "manage engineers", "managing a team", "team lead",
     "engineering manager", "managing"),
    ("hiring", "recruiting", "interviewing"), ("mentoring", "mentorship", "coaching"),
    ("one-on-ones", "one-on-one meetings", "1:1s", "one-on-one"), ("project planning", "planning", "roadmap"),
    ("vision and direction", "technical direction", "strategy", "vision"),
    ("cross-team communication", "inter-team communication", "cross-functional", "stakeholders"),
    ("vendor management", "vendors", "contracts", "procurement"), ("budget", "budgets"),
    ("speaking", "conferences", "talks", "presenting", "keynotes", "podcast"),
    ("open source", "open-source"), ("startup", "start-up", "first employee"),
)

_GENERIC = frozenset("""a an and are as at be by for from has have in is it of on or our the to we with you your
will who what when where which this that these those their they them us all any can may must should
about across after also more most other over per such than through under up very well within
experience years year team teams work working role strong ability skills excellent great good new
using use used help build building own ownership including include company product products
customers customer people engineers engineer engineering senior staff principal junior lead
responsibilities requirements qualifications preferred nice plus bonus benefits salary equity
opportunity employer remote hybrid office location apply join looking hiring we're you'll
monday tuesday wednesday thursday friday january february march april may june july august
september october november december i""".split())


@dataclass(frozen=True)
class Term:
    name: str  # as shown in reports
    spellings: tuple[str, ...]  # every way to write it, the name first

    @property
    def keys(self) -> tuple[tuple[str, ...], ...]:
        return tuple(dict.fromkeys(words(s) for s in self.spellings if words(s)))


def term(name: str) -> Term:
    """The known term one of whose spellings is `name` (k8s -> Kubernetes), else `name` on its own."""
    key = words(name)
    for spellings in KNOWN:
        if any(words(s) == key for s in spellings):
            return Term(spellings[0], spellings)
    return Term(name, (name,))


def fold(text: str) -> str:
    """Lower case without accents; every character that is not a letter, digit, '+' or '#' is a space."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^\w+#]+|_", " ", text.replace("'s ", " "))


def _stem(word: str) -> str:
    """A light plural fold: queues -> queue, databases -> database, APIs -> api (not 'ss' or short words)."""
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words(text: str) -> tuple[str, ...]:
    return tuple(_stem(w) for w in fold(text).split())


def found_in(term: Term, text: str) -> bool:
    """Whether `text` says `term`: one of its spellings as whole words (or nearly, for a long word)."""
    tokens = words(text)
    for key in term.keys:
        n = len(key)
        if any(tokens[i:i + n] == key for i in range(len(tokens) - n + 1)):
            return True
    long_single = [key[0] for key in term.keys if len(key) == 1 and len(key[0]) >= 7]
    if long_single:
        from rapidfuzz import fuzz, process

        joined = [a + b for a, b in zip(tokens, tokens[1:])]  # "micro services" -> "microservices"
        for key in long_single:
            if key in joined or process.extractOne(key, tokens, scorer=fuzz.ratio, score_cutoff=90):
                return True
    return False


def extract(posting: str) -> list[Term]:
    """The terms a posting names, in the order it first names them: known terms under any spelling
    (the longest spelling wins a place: "site reliability" is not also "reliability"), then the
    proper nouns it uses that no known term covers."""
    tokens = words(posting)
    used: set[int] = set()
    found: dict[Term, int] = {}
    spellings = sorted(((key, Term(known[0], known)) for known in KNOWN for key in Term(known[0], known).keys),
                       key=lambda pair: -len(pair[0]))
    for key, term in spellings:
        n = len(key)
        for i in range(len(tokens) - n + 1):
            if tokens[i:i + n] == key and not used & set(range(i, i + n)):
                used |= set(range(i, i + n))
                found[term] = min(found.get(term, i), i)
    covered = {w for term in found for key in term.keys for w in key}
    for at, noun in _proper_nouns(posting):
        key = words(noun)
        if key and key[0] not in covered and not set(key) <= _GENERIC:  # "Puppet-style": Puppet's
            found.setdefault(Term(noun, (noun,)), at)
            covered |= set(key)
    return sorted(found, key=found.__getitem__)


_WORD = re.compile(r"[A-Za-z][\w.+#/-]*[\w+#]|[A-Za-z]")
_COMPANY_AFTER = frozenset({"is", "are", "was", "has", "offers", "'s"})  # "Tidal Pay is hiring"
_COMPANY_BEFORE = frozenset({"at", "join"})  # "the team at Tidal Pay"


def _proper_nouns(posting: str) -> list[tuple[int, str]]:
    """Names a posting uses: runs of words capitalised inside a sentence, or written in capitals or
    CamelCase ("Terraform", "Core Web Vitals", "GraphQL"), with where each first appears. A run
    that names the employer ("at Tidal Pay", "Northwind Cloud is …") is not a term."""
    found, index = [], 0
    for sentence in re.split(r"(?<=[.!?:;])\s+|\n+|^\s*[-*•#]+\s+", posting, flags=re.M):
        tokens = [m[0].rstrip(".") for m in _WORD.finditer(sentence)]
        run: list[int] = []
        for n, word in enumerate(tokens + [""]):
            camel = re.search(r"[a-z][A-Z]", word) is not None
            shouting = len(word) >= 2 and word.isupper()
            if word and (camel or shouting or (n > 0 or run) and word[:1].isupper()) \
                    and fold(word).strip() not in _GENERIC:
                run.append(n)
                continue
            if run:
                before = tokens[run[0] - 1].lower() if run[0] else ""
                after = word.lower()
                if before not in _COMPANY_BEFORE and after not in _COMPANY_AFTER:
                    found.append((index + run[0], " ".join(tokens[run[0]:run[-1] + 1])))
                run = []
        index += len(tokens)
    return found


# ------------------------------------------------------------------------------ ranking

def rank(texts: list[str], wanted: list[Term]) -> list[float]:
    """A BM25 score of each text against the posting's terms (rank-bm25): rarer terms weigh more."""
    if not texts:
        return []
    from rank_bm25 import BM25Okapi

    corpus = [list(words(t)) or ["\0"] for t in texts]
    query = [w for term in wanted for key in term.keys for w in key]
    return [float(s) for s in BM25Okapi(corpus).get_scores(query)]


def chosen(resume, wanted: list[Term], share: float = 0.15) -> dict[str, tuple[str, ...]]:
    """The highlights tailoring brings forward: key path -> the terms each says. A highlight is chosen
    when it says at least one term and its BM25 score is at least `share` of the best one's (so a
    broad word such as "infrastructure" alone does not bring in every highlight)."""
    items = highlights_of(resume)
    scores = rank([h.text for _, h in items], wanted)
    best = max(scores, default=0.0)
    found = {}
    for (path, highlight), score in zip(items, scores):
        said = tuple(t.name for t in wanted if found_in(t, highlight.text))
        if said and best > 0 and score >= share * best:
            found[format_path(path)] = said
    return found


def highlights_of(resume) -> list[tuple[tuple, object]]:
    """(key path, highlight) of every highlight in the content, in file order."""
    found = []
    for i, work in enumerate(resume.work):
        for j, position in enumerate(work.positions):
            found += [(("work", i, "positions", j, "highlights", k), h) for k, h in enumerate(position.highlights)]
    for section in ("projects", "volunteer", *resume.sections):
        for i, entry in enumerate(resume.entries_of(section)):
            found += [((*resume.entry_path(section, i), "highlights", k), h) for k, h in enumerate(entry.highlights)]
    return found
