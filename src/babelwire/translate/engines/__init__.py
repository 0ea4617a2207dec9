"""The bundled translation engines; importing this package registers them.

============== ============================================== =====================
name           what it runs                                   needs
============== ============================================== =====================
ctranslate2    Argos packages (CTranslate2 + SentencePiece)   ``translate`` extra,
                                                              a model installed
apertium       the ``apertium`` program, as a subprocess      Debian's apertium
openai         any OpenAI-compatible chat completions API     base URL and model
libretranslate a LibreTranslate server                        server URL
============== ============================================== =====================

Each module maps its library's, program's or server's failures into
``TranslateError`` / ``EngineUnavailable``; heavy libraries are imported
only when an engine is built, so this import is cheap everywhere.
"""

from babelwire.translate.engines import apertium, ct2, libretranslate, openai

__all__ = ["apertium", "ct2", "libretranslate", "openai"]
