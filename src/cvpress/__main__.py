from cvpress.entry import run

run()
