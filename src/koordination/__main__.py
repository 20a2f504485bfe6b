from koordination.cli.app import main

main()
