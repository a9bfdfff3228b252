"""Drills: the real incident workflow rehearsed on a scratch branch, and measured.

``scenarios`` reads the briefs (statusgen's defaults in English and French, and the
status repository's own ``drills/*.md``); ``branch`` starts and ends a drill on its git
branch; ``report`` reads the branch's history back into the times that matter.
"""
