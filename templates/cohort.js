(function () {
  var table = document.getElementById('caseload');
  var body = table.tBodies[0];
  var filters = document.getElementById('filters');
  filters.hidden = false;
  var assessor = document.getElementById('f-assessor');
  var state = document.getElementById('f-state');
  function applyFilters() {
    Array.prototype.forEach.call(body.rows, function (row) {
      var ok = (!assessor.value || row.dataset.assessor === assessor.value) && (!state.value || row.dataset.state === state.value);
      row.hidden = !ok;
    });
  }
  assessor.addEventListener('change', applyFilters);
  state.addEventListener('change', applyFilters);
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
    var button = document.createElement('button');
    button.type = 'button';
    button.textContent = th.textContent;
    th.textContent = '';
    th.appendChild(button);
    var ascending = true;
    button.addEventListener('click', function () {
      var rows = Array.prototype.slice.call(body.rows);
      var numeric = th.dataset.type === 'num';
      rows.sort(function (a, b) {
        var x = a.cells[index].textContent.trim(), y = b.cells[index].textContent.trim();
        var c = numeric ? (parseFloat(x) || 0) - (parseFloat(y) || 0) : x.localeCompare(y);
        return ascending ? c : -c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      ascending = !ascending;
    });
  });
})();
