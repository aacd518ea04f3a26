# Shortcuts for the README's two commands.
.PHONY: demo test
demo:
	npm ci && npx --no-install pipetune tune configs/sdg-mot.yml
test:
	npm ci && npm run setup && npm test
