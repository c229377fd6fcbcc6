(function () {
  // Runs before first paint so neither the theme nor the chosen code language flashes.
  var root = document.documentElement;
  try {
    var theme = localStorage.getItem('connlab:theme');
    if (theme === 'light' || theme === 'dark') root.dataset.theme = theme;
    var lang = localStorage.getItem('connlab:code-lang');
    if (lang === 'node' || lang === 'python') root.dataset.codeLang = lang;
  } catch (e) {}
})();
