"""The demo's data, held as plain values: places, organisations, people, the kinds of dispute
and what is written about them, the funders' notices, and the calendar the cases follow."""
