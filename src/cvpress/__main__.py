from cvpress.cli import run

run()
