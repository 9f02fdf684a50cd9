import { Module } from '@nestjs/common';
import { CrawlerRetentionHandler } from './crawler-retention.handler';

/** The crawler's part of retention: purging finished crawl runs. */
@Module({ providers: [CrawlerRetentionHandler] })
export class CrawlerRetentionModule {}
