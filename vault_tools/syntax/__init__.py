"""Scanners for Obsidian syntax that CommonMark does not know, one small module each.

They work on text that `spans.mask` has already stripped of code, math, HTML and escapes, so no
scanner has to know about the others' exclusions.
"""
