"""Rule-based matchers: numbers and quantities, dates, convoys, gazetteers."""
