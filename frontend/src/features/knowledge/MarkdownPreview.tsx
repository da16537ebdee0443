import { Anchor, Blockquote, Code, Divider, List, Text, Title, type TitleOrder, Typography } from "@mantine/core";
import { Fragment, type ReactNode, useMemo } from "react";
import { type Block, type Inline, parseMarkdown } from "./markdown";

function renderInline(nodes: Inline[]): ReactNode[] {
  return nodes.map((node, index) => {
    switch (node.type) {
      case "text":
        return <Fragment key={index}>{node.text}</Fragment>;
      case "code":
        return <Code key={index}>{node.text}</Code>;
      case "strong":
        return <strong key={index}>{renderInline(node.children)}</strong>;
      case "em":
        return <em key={index}>{renderInline(node.children)}</em>;
      case "link":
        return (
          <Anchor key={index} href={node.href} target="_blank" rel="nofollow noopener noreferrer">
            {renderInline(node.children)}
          </Anchor>
        );
      case "image":
        // The preview loads nothing from elsewhere: an image shows as its description.
        return (
          <Text key={index} span fs="italic">
            [{node.alt}]
          </Text>
        );
      case "break":
        return <br key={index} />;
    }
  });
}

function renderBlocks(blocks: Block[], headingOffset: number): ReactNode[] {
  return blocks.map((block, index) => {
    switch (block.type) {
      case "heading": {
        // The page around the preview has its own h1 and h2: the body's headings sit below them.
        const order = Math.min(6, block.level + headingOffset) as TitleOrder;
        return (
          <Title key={index} order={order} size={`h${Math.min(6, block.level + 1)}`}>
            {renderInline(block.children)}
          </Title>
        );
      }
      case "paragraph":
        return <p key={index}>{renderInline(block.children)}</p>;
      case "list":
        return (
          <List key={index} type={block.ordered ? "ordered" : "unordered"} start={block.ordered ? block.start : undefined} withPadding>
            {block.items.map((item, itemIndex) => (
              <List.Item key={itemIndex}>{renderInline(item)}</List.Item>
            ))}
          </List>
        );
      case "quote":
        return <Blockquote key={index}>{renderBlocks(block.children, headingOffset)}</Blockquote>;
      case "code":
        return (
          <Code key={index} block>
            {block.text}
          </Code>
        );
      case "rule":
        return <Divider key={index} my="sm" />;
    }
  });
}

/**
 * Markdown shown as it will read, built from React elements only (no HTML string is ever inserted): what the
 * editor types is data. `headingOffset` pushes the body's headings below the page's own (default: `#` is h3).
 */
export function MarkdownPreview({ source, headingOffset = 2, lang }: { source: string; headingOffset?: number; lang?: string }) {
  const blocks = useMemo(() => parseMarkdown(source), [source]);
  return (
    <Typography lang={lang} data-testid="markdown-preview">
      {renderBlocks(blocks, headingOffset)}
    </Typography>
  );
}
