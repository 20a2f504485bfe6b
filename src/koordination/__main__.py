from koordination.cli.run import main

main()
