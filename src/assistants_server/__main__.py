from assistants_server.cli import main

main()
