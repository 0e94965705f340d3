"""Ranking an archive of fact-checks for a claim, in plain Python (no Django).

text.py folds and tokenises, bm25.py ranks by words, guard.py compares figures and names,
ranker.py gathers candidates (words and MiniLM embeddings), describes each pair with features and
scores them with the committed re-ranker (models/reranker.*), trained by training.py.
"""
