"""Word lists the generator draws from, kept apart so `generate.py` stays about behaviour.

Everything here is plain data: names, workflows, phrases. Order matters (the seeded generator
picks by index), so append rather than reorder if the same seed must keep its Workspace.
"""

from __future__ import annotations

_FIRST = (
    "Aisha Alex Amara Ana Andrei Anika Arjun Ben Bianca Carlos Chen Chloe Daniel Dara Diego "
    "Elena Emeka Emma Erik Fatima Felix Gabriel Grace Hana Hannah Hugo Ines Isaac Ivan Jakob "
    "James Jana Javier Jin Jonas Julia Kai Karim Kate Kenji Lara Leah Leo Lina Lucas Luis Maya "
    "Mateo Mei Mia Miguel Mila Nadia Nina Noah Nora Olga Omar Oscar Paula Pedro Priya Rafael "
    "Rania Ravi Rosa Ryan Sam Sana Sara Sean Sofia Tariq Theo Tom Uma Valentina Victor Wei "
    "Yara Yusuf Zara Zoe Ahmed Beatriz Camille Dmitri Esther Farah Goran Helga Ingrid Joon "
    "Kofi Lars Magnus Nikhil Oksana Pablo Quinn Rohan Selin Tomasz Ulla Vera Wanjiru Ximena"
)
_LAST = (
    "Abara Adeyemi Alvarez Andersen Bauer Becker Bianchi Brooks Castro Chen Costa Cruz Dubois "
    "Duarte Eriksen Evans Fischer Fernandes Garcia Gomez Hansen Hartmann Haddad Ibrahim Ito "
    "Jansen Johansson Kaur Khan Kim Kowalski Kumar Larsen Laurent Lee Lopez Martin Meyer "
    "Moreau Morales Mueller Nakamura Nguyen Novak Okafor Olsen Ortiz Park Patel Perez Petrov "
    "Rossi Ruiz Sanchez Santos Schmidt Shah Silva Singh Sato Suzuki Tanaka Torres Vargas "
    "Wagner Walker Wang Weber Wilson Wong Yamamoto Yilmaz Zhang Zimmermann Afolabi Bergstrom "
    "Carvalho Dimitrov Esposito Fontaine Gallagher Horvath Ivanova Jovanovic Kowalczyk "
    "Lindqvist Mendes Nilsson O'Brien Popescu Quintero Reyes Sorensen Tran Ueda Virtanen"
)
FIRST_NAMES = tuple(_FIRST.split())
LAST_NAMES = tuple(_LAST.split())
COLORS = (
    "#7b68ee", "#ffa12f", "#ff5722", "#f42c2c", "#f8306d", "#ff00fc", "#4169e1", "#5f81ff",
    "#0ab4ff", "#08c7e0", "#07a092", "#1db954", "#2ea52c", "#757380", "#202020", "#e8b400",
    "#827718", "#c51162", "#6a1b9a", "#00897b",
)
# (IANA name, UTC offset in hours ignoring DST): enough to place work inside local office hours.
TIMEZONES = (
    ("Europe/Berlin", 1), ("Europe/London", 0), ("America/New_York", -5),
    ("America/Los_Angeles", -8), ("America/Sao_Paulo", -3), ("Asia/Kolkata", 5),
    ("Asia/Tokyo", 9), ("Australia/Sydney", 10), ("Europe/Warsaw", 1), ("Africa/Lagos", 1),
    ("America/Chicago", -6), ("Asia/Singapore", 8), ("Etc/UTC", 0),
)
COMPANIES = ("Northwind Labs", "Acme Robotics", "Bluefin Analytics", "Helix Health",
             "Quanta Logistics", "Orbital Payments", "Lumen Learning", "Tessera Cloud")
GUEST_DOMAINS = ("contractor.dev", "agency-studio.com", "clientcorp.com")

# Workflows: (status, type, color). Every Space picks its own; first is open, last is closed.
WORKFLOWS = {
    "engineering": (("to do", "open", "#d3d3d3"), ("in progress", "custom", "#4194f6"),
                    ("in review", "custom", "#a875ff"), ("blocked", "custom", "#f44336"),
                    ("qa", "custom", "#ff9800"), ("done", "done", "#6bc950"),
                    ("closed", "closed", "#008844")),
    "product": (("backlog", "open", "#d3d3d3"), ("scoping", "custom", "#5f55ee"),
                ("in design", "custom", "#e16b16"), ("blocked", "custom", "#f44336"),
                ("ready for dev", "custom", "#1090e0"), ("shipped", "done", "#6bc950"),
                ("closed", "closed", "#008844")),
    "support": (("new", "open", "#87909e"), ("triage", "custom", "#f8ae00"),
                ("in progress", "custom", "#4194f6"), ("waiting on customer", "custom",
                                                      "#b660e0"),
                ("blocked", "custom", "#f44336"), ("resolved", "done", "#6bc950"),
                ("closed", "closed", "#008844")),
    "marketing": (("idea", "open", "#d3d3d3"), ("drafting", "custom", "#4194f6"),
                  ("in review", "custom", "#a875ff"), ("blocked", "custom", "#f44336"),
                  ("scheduled", "custom", "#ffcc00"), ("published", "done", "#6bc950"),
                  ("closed", "closed", "#008844")),
    "bugs": (("reported", "open", "#87909e"), ("confirmed", "custom", "#f8ae00"),
             ("fixing", "custom", "#4194f6"), ("blocked", "custom", "#f44336"),
             ("fixed", "done", "#6bc950"), ("won't fix", "closed", "#757380")),
    "ops": (("planned", "open", "#d3d3d3"), ("doing", "custom", "#4194f6"),
            ("waiting", "custom", "#f8ae00"), ("blocked", "custom", "#f44336"),
            ("complete", "closed", "#008844")),
}
# Spaces in the order they are created: (name, color, workflow, tags, billable share of time).
SPACES = (
    ("Engineering", "#4169e1", "engineering",
     ("bug", "feature", "tech-debt", "security", "performance", "infra", "flaky-test"), 0.1),
    ("Product", "#7b68ee", "product", ("discovery", "ux", "research", "roadmap", "customer"),
     0.05),
    ("Customer Success", "#1db954", "support", ("enterprise", "onboarding", "escalation",
                                                 "billing", "sla"), 0.7),
    ("Marketing", "#ff5722", "marketing", ("launch", "seo", "content", "event", "social"), 0.2),
)
PRIVATE_SPACE = ("Leadership", "#202020", "ops", ("hiring", "budget", "okr", "confidential"),
                 0.0)
ARCHIVED_SPACE = ("Legacy Platform 2023", "#757380", "engineering",
                  ("migration", "bug", "sunset"), 0.3)

FOLDERS = ("Backend", "Frontend", "Mobile", "Infrastructure", "Data Platform", "Q3 Roadmap",
           "Q4 Roadmap", "Integrations", "Growth", "Design System", "Onboarding", "Billing",
           "Search", "Notifications", "Enterprise Accounts", "Campaigns", "Website",
           "Compliance", "Hiring", "Planning")
LISTS = ("Backlog", "Sprint 41", "Sprint 42", "Sprint 43", "Bugs", "Tech Debt", "Releases",
         "Experiments", "Requests", "Incidents", "Ideas", "Research", "Docs", "Launch Plan",
         "Q3 Goals", "Support Queue", "Epics", "Migrations", "Roadmap", "Triage")

TASK_VERBS = ("Fix", "Implement", "Refactor", "Investigate", "Add", "Remove", "Update",
              "Migrate", "Document", "Design", "Test", "Optimize", "Review", "Upgrade",
              "Prototype", "Deprecate", "Monitor", "Automate", "Audit", "Clean up")
TASK_OBJECTS = ("login flow", "checkout page", "search index", "payment webhook",
                "CSV export", "onboarding wizard", "rate limiter", "email templates",
                "dashboard charts", "API pagination", "permissions model", "mobile push",
                "SSO settings", "billing invoices", "audit log", "file uploads",
                "notification center", "dark mode", "session timeout", "caching layer",
                "release pipeline", "error tracking", "feature flags", "data retention",
                "customer import", "pricing page", "date picker", "access tokens",
                "report builder", "backup job")
TASK_AREAS = ("for enterprise plan", "on iOS", "on Android", "in the web app",
              "for EU region", "in staging", "behind feature flag", "for the beta",
              "after migration", "for v2 API", "", "", "", "", "")
MILESTONES = ("Beta launch", "GA release", "SOC 2 audit complete", "EU data residency live",
              "Mobile app 3.0", "Pricing v2 launch", "Q3 planning done", "Series B demo")
DESCRIPTIONS = (
    "Customers reported this through support; see the linked ticket for details.",
    "Acceptance criteria: works on all supported browsers, covered by tests.",
    "Follow-up from the last retro. Keep the scope small.",
    "Blocked until the upstream API change ships.",
    "Needs a design review before implementation starts.",
    "Part of the quarterly roadmap. Estimate includes QA time.",
    "Steps to reproduce:\n1. Sign in\n2. Open settings\n3. Observe the error",
    "Low risk change; can ship without a feature flag.",
)
CHECKLISTS = ("Definition of done", "QA checklist", "Release steps", "Review")
CHECK_ITEMS = ("Write tests", "Update docs", "Code review", "Deploy to staging",
               "Verify in production", "Notify support", "Update changelog",
               "Design sign-off", "Security review", "Clean up feature flag")
COMMENTS = ("Looks good to me.", "I pushed a fix, please re-test.",
            "Can we pair on this tomorrow?", "Blocked on the API team, pinging them.",
            "Added screenshots of the issue.", "This is taking longer than estimated.",
            "Moving this to the next sprint.", "QA found a regression, reopening.",
            "Customer confirmed the fix works.", "Do we have a decision on scope?",
            "Spec updated with the edge cases.", "Deployed to staging.",
            "Still seeing this on mobile.", "Estimate was off, the migration is bigger.",
            "Closing as duplicate.", "Thanks! Merged.")
ASSIGNED_COMMENTS = ("Please review the PR before Friday.", "Can you confirm the numbers?",
                     "Please update the estimate.", "Need your sign-off on the design.",
                     "Can you check the logs for this customer?")
ENTRY_NOTES = ("", "", "", "implementation", "code review", "debugging", "pairing",
               "writing tests", "customer call", "investigation", "deploy")
ENTRY_TAGS = ("deep work", "meeting", "review", "support", "bugfix")
MEETINGS = ("Standup", "Sprint planning", "Retro", "1:1", "All hands", "Interviewing")
CITIES = (("Berlin, Germany", 52.52, 13.405), ("Austin, TX, USA", 30.2672, -97.7431),
          ("Lagos, Nigeria", 6.5244, 3.3792), ("Bengaluru, India", 12.9716, 77.5946),
          ("São Paulo, Brazil", -23.5505, -46.6333), ("Tokyo, Japan", 35.6762, 139.6503),
          ("London, UK", 51.5072, -0.1276), ("Sydney, Australia", -33.8688, 151.2093))
REPOS = ("api", "web", "mobile", "infra", "data-pipeline", "billing")

# Custom field catalogue: (name, type, scope kind, share of tasks with a value).
FIELDS = (
    ("Severity", "drop_down", "team", 0.45), ("Reviewer", "users", "team", 0.3),
    ("Spec", "url", "team", 0.2), ("Target release", "date", "team", 0.25),
    ("Components", "labels", "space", 0.35), ("Customer email", "email", "space", 0.1),
    ("Budget", "currency", "space", 0.1), ("Completion", "progress", "space", 0.3),
    ("Requester phone", "phone", "folder", 0.05), ("Acceptance criteria", "text", "folder", 0.2),
    ("QA passed", "checkbox", "folder", 0.4), ("Confidence", "emoji", "folder", 0.25),
    ("Related", "tasks", "list", 0.08), ("Office", "location", "list", 0.1),
    ("Effort done", "progress", "list", 0.2), ("Ticket number", "number", "list", 0.3),
    ("Summary", "short_text", "list", 0.2),
)
# type_config as ClickUp returns it, by field name first, then by type (default: {}).
TYPE_CONFIGS: dict[str, dict] = {
    "drop_down": {"sorting": "manual", "new_drop_down": True, "placeholder": None, "default": 0},
    "labels": {},
    "currency": {"precision": 2, "currency_type": "USD", "default": None},
    "emoji": {"code_point": "1f525", "count": 5},
    "users": {"single_user": False, "include_groups": True, "include_guests": True,
              "include_team_members": True},
    "progress": {"method": "automatic", "complete_on": 3,
                 "tracking": {"subtasks": True, "checklists": True, "assigned_comments": True}},
    "Effort done": {"method": "manual", "start": 0, "end": 100},
}
OPTIONS = {"drop_down": ("Critical", "Major", "Minor", "Trivial"),
           "labels": ("api", "web", "mobile", "infra", "data")}
