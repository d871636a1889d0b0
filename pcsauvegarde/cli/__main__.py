"""``python -m pcsauvegarde.cli``: the same commands as the ``pcsauvegarde`` script."""

from pcsauvegarde.cli.main import main

main()
