# BackupPanel — the two commands: `make run` and `make test`. Both install what is missing and are safe to rerun.
.PHONY: run test build restore deps test-deps bench bench-pages migration clean

URL ?= http://127.0.0.1:5080

run: deps restore
	dotnet build BackupPanel/BackupPanel.csproj -c Release --no-restore -v quiet -nologo
	@echo ""
	@echo "BackupPanel: open $(URL)"
	@echo "  First run: the setup page creates the first Admin (or set BACKUPPANEL_ADMIN_EMAIL and BACKUPPANEL_ADMIN_PASSWORD)."
	@echo "  Stop with Ctrl+C. Settings: docs/CONFIGURATION.md"
	@echo ""
	cd BackupPanel && dotnet bin/Release/net10.0/BackupPanel.dll --urls $(URL)

test: test-deps restore
	dotnet build BackupPanel.sln -c Release --no-restore -v quiet -nologo
	./scripts/test.sh

deps:
	./scripts/install-deps.sh

test-deps:
	./scripts/install-deps.sh --test

restore:
	dotnet tool restore
	dotnet restore BackupPanel.sln

build: restore
	dotnet build BackupPanel.sln -c Release --no-restore

# Archive create/extract against tar | zstd | age on a generated corpus (docs/PERFORMANCE.md). Root: mounts ext4 images.
bench: restore
	./scripts/install-deps.sh --bench
	dotnet build BackupPanel/BackupPanel.csproj -c Release --no-restore -v quiet -nologo
	./scripts/bench.sh

# Only the dashboard/history timing with 100,000 backups (part of bench; about 30 s).
bench-pages: restore
	./scripts/install-deps.sh --bench
	dotnet build BackupPanel/BackupPanel.csproj -c Release --no-restore -v quiet -nologo
	./scripts/bench-pages.sh

# make migration NAME=AddSomething — generated migrations are marked generated code; drop the #nullable disable they start with (no file disables nullability).
migration: restore
	dotnet ef migrations add $(NAME) --project BackupPanel.Core --startup-project BackupPanel.Core --output-dir Data/Migrations
	sed -i '/^#nullable disable$$/d' BackupPanel.Core/Data/Migrations/*.cs

clean:
	dotnet clean BackupPanel.sln -v quiet
	rm -rf TestResults
