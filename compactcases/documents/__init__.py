"""Documents on cases, notices and funding agreements: what a file is, where its bytes are
kept, and the use cases of adding, reading, removing and purging one."""
