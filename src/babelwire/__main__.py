from babelwire.cli import main

main()
