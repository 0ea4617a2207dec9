"""Translation into English: segmentation, protected spans, glossaries, engines
behind one interface, cache, quality checks and fallback.

``translator.Translator`` is the stage; ``engine.Engine`` is what every engine
implements, registered by name in ``registry``.
"""
