/* regkb: the column menu Datasette's table.js builds, in Chinese (loaded after it; table.js itself is unchanged). */
(function () {
  var names = {
    "dropdown-sort-asc": "升序排列", "dropdown-sort-desc": "降序排列", "dropdown-facet": "按此字段分面",
    "dropdown-hide-column": "隐藏此列", "dropdown-show-all-columns": "显示全部列", "dropdown-not-blank": "只看此列非空的行"
  };
  Object.keys(names).forEach(function (name) {
    document.querySelectorAll("." + name).forEach(function (link) { link.textContent = names[name]; });
  });
  var types = { TEXT: "文本", INTEGER: "整数", REAL: "数值", BLOB: "二进制" };
  document.querySelectorAll(".dropdown-column-type").forEach(function (line) {
    new MutationObserver(function () {
      var match = line.innerText.match(/^Type: (\w*)( NOT NULL)?$/);
      if (match) { line.innerText = "类型：" + (types[match[1]] || match[1]) + (match[2] ? "，不可为空" : ""); }
    }).observe(line, { childList: true, characterData: true, subtree: true });
  });
  document.querySelectorAll('a[aria-label="Remove this filter"]').forEach(function (link) {
    link.setAttribute("aria-label", "删除此条件");
  });
})();
