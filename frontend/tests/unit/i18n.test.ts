import { describe, expect, test } from "vitest";
import { RESOURCES, type Tree } from "@/i18n/resources";

// Shell and feature texts merged, as the app loads them.
const { en, fr, es } = RESOURCES;

function keys(tree: Tree, prefix = ""): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === "string" ? [`${prefix}${key}`] : keys(value, `${prefix}${key}.`),
  );
}

describe("translations", () => {
  test("French and Spanish have every English key, and no empty text", () => {
    const english = keys(en as Tree).sort();
    expect(keys(fr as Tree).sort()).toEqual(english);
    expect(keys(es as Tree).sort()).toEqual(english);
    for (const tree of [en, fr, es] as Tree[]) {
      for (const key of keys(tree)) {
        const value = key.split(".").reduce<Tree | string>((node, part) => (node as Tree)[part] as Tree | string, tree);
        expect(value, key).not.toBe("");
      }
    }
  });

  test("placeholders are the same in every language", () => {
    const placeholders = (tree: Tree) =>
      Object.fromEntries(
        keys(tree).map((key) => {
          const value = key.split(".").reduce<Tree | string>((node, part) => (node as Tree)[part] as Tree | string, tree) as string;
          return [key, (value.match(/{{\w+}}/g) ?? []).sort()];
        }),
      );
    expect(placeholders(fr as Tree)).toEqual(placeholders(en as Tree));
    expect(placeholders(es as Tree)).toEqual(placeholders(en as Tree));
  });
});
