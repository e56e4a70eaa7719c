"""The recurring expert dialogue: plan a session, invite, suggest its agenda, record what was said,
and publish the outcome (a press release, a briefing for a period).

sessions.py holds the records and their rules, invite.py the calendar and letters, tagging.py how a
contribution is tagged by the extractor, publish.py the press release, agenda.py the suggestion and
briefing.py the briefing.
"""
