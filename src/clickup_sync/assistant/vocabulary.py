"""Words people use for what each tool answers, which its one-line description lacks.

A manager asks "who is busiest?" or "what is late?", while the descriptions say "open work"
and "past their due date". BM25 matches words, not meaning, so each tool's document is its
name, description and arguments plus the phrases below. Tools missing here (a newer server)
are still routed by their description alone.
"""

from __future__ import annotations

import re

KEYWORDS: dict[str, str] = {
    "get_workspaces": "workspace team company how big size members",
    "get_spaces": "spaces departments areas structure overview of spaces",
    "get_space": "space contents inside a space",
    "get_folders": "folders in a space",
    "get_folder": "folder contents inside a folder",
    "get_lists": "lists boards sprints which lists",
    "get_folderless_lists": "folderless lists outside folders",
    "get_list": "list overview workflow list status",
    "get_list_defined_statuses": "statuses workflow columns stages status options defined",
    "discover_hierarchy": "hierarchy tree organised organized structure ids map whole",
    "get_tasks": "tasks show list all find filter status in progress assigned assignee due "
                 "tag open tasks across all spaces todo to do which tasks",
    "get_project_tasks": "project tasks tasks in project",
    "get_task": "task details one task id state",
    "search_tasks": "search mention mentions keyword about containing called named text "
                    "find tasks about",
    "get_list_progress": "progress percent complete completion done share how far list",
    "get_workload": "workload busiest busy capacity load how much work who has most "
                    "overloaded open tasks per person team members employee allocation",
    "get_overdue_tasks": "overdue late past due missed deadline deadlines behind delayed "
                         "employee most overdue why slipped",
    "create_task": "create add new task make open a ticket",
    "update_task": "update change set rename assign reassign move mark close reopen "
                   "priority due date edit",
    "get_progress_since": "happened since changes changed recently completed since created "
                          "since moved reopened yesterday last days activity",
    "get_time_tracking_report": "time tracking tracked hours logged time spent timesheet "
                                "timesheets worked billable grouped by assignee per person "
                                "report effort",
    "get_task_time_breakdown": "time on a task subtasks estimate tracked one task breakdown",
    "get_estimation_accuracy": "estimate estimates estimation accuracy accurate overestimated "
                               "underestimated planning estimated versus actual",
    "get_at_risk_tasks": "at risk risky due soon slip upcoming deadlines due this week "
                         "danger",
    "get_stale_tasks": "stale untouched stuck neglected idle forgotten not updated abandoned "
                       "nobody touched",
    "get_untracked_tasks": "untracked no time logged without time tracked missing timesheet "
                           "zero hours",
    "get_inactive_assignees": "inactive idle people no activity not working absent quiet "
                              "nobody active assignees",
    "get_status_summary": "status breakdown distribution per status how many tasks each "
                          "status percentage done completion counts",
    "get_lead_cycle_time": "cycle time lead time how long take to finish complete duration "
                           "speed delivery days to done",
    "get_time_in_status": "time in status days in each status dwell spent in review",
    "get_cumulative_flow": "cumulative flow cfd diagram per day over time status counts daily",
    "get_burndown": "burndown burn down remaining work left sprint progress chart",
    "get_throughput": "throughput velocity completed per week finished per week output "
                      "trend productivity delivered closed weekly",
    "get_aging": "aging age oldest longest sitting old work items open longest",
    "get_bottlenecks": "bottleneck bottlenecks slow slowest wait waiting queue where stuck "
                       "longest status",
    "get_assigned_comments": "comments unresolved mentions feedback replies assigned "
                             "comments awaiting",
    "discover_projects": "candidate projects discover suggest which could be projects",
    "add_project": "register track add project new project",
    "list_projects": "projects which projects registered tracked list of projects",
    "remove_project": "remove unregister stop tracking delete project",
    "refresh_projects": "rediscover candidates again",
    "get_project_status": "project status progress how is project doing where stand",
    "get_all_projects_status": "all projects every project portfolio compare projects side by "
                               "side each project",
    "get_project_statuses": "project status counts tasks per status in project",
    "get_project_health_score": "health healthy score grade rating project health",
    "get_project_daily_standup": "standup stand-up stand up daily scrum yesterday today "
                                 "doing now",
    "get_project_time_tracking": "project hours time tracking tracked grouped by assignee "
                                 "time spent logged on project",
    "get_project_blockers": "blocked blockers blocking impediments dependencies waiting "
                            "what blocks",
    "get_project_at_risk": "project at risk due soon slip deadlines",
    "get_project_weekly_digest": "weekly digest week summary this week last week project "
                                 "happened",
    "get_project_team_workload": "team workload overloaded capacity who carries project "
                                 "team busiest",
    "get_sync_status": "fresh freshness last sync synced up to date data lag when updated",
    "invalidate_cache": "sync now refresh data update data pull latest",
    "refresh_project": "refresh project sync project now",
    "clear_sync": "full sync resync reread everything",
    "run_sql": "sql query custom select database",
    "get_weekly_report": "weekly report week cto executive management report summary "
                         "overview last week this week team performance task distribution "
                         "time spent bottlenecks week over week status report how did",
    "get_person_summary": "person employee member individual someone plate working on "
                          "doing what is assigned to summary of person why",
    "get_project_summary": "project summary overview where does project stand status of "
                           "project how is project going report on project",
}
"""Extra words per tool, by name: what users say for what the tool answers."""

COMPOSITE = ("get_weekly_report", "get_person_summary", "get_project_summary")
"""Tools that answer a broad question in one call; a small model should prefer them."""

def words(text: str) -> frozenset[str]:
    """The space-separated words of ``text``, as a set."""
    return frozenset(text.split())


ALIAS_OF = re.compile(r"\(same as (\w+)")
"""How a description marks an original name kept as an alias of another tool."""

STOPWORDS = words(
    "a an the of in on at to for by with and or is are was were be been do does did what "
    "which who whom whose how me my our we us i you your it its this that these those all "
    "any some there their them show give get tell please can could would should about from "
    "as into than then so just each per")
"""Words that carry no routing signal (kept out of queries and of name matching)."""

_TOKEN = re.compile(r"[a-z0-9]+")


def stem(word: str) -> str:
    """A light English stem, so "tasks", "tracked" and "tracking" meet their root."""
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith("ss"):
                return word
            return word[: len(word) - len(suffix)] + keep
    return word


def terms(text: str) -> list[str]:
    """Lower-cased, stemmed tokens of ``text`` without stop words (underscores split)."""
    return [stem(t) for t in _TOKEN.findall(text.lower().replace("_", " "))
            if t not in STOPWORDS]
