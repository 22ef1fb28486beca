"""Crawling: the Scrapy side of ingestion (items, pipelines, middlewares, the runner) and the
WARC reader that feeds the same processing without the network. Spiders live in ``spiders/``."""
