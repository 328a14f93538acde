<?xml version="1.0" encoding="UTF-8"?>
<!-- The map: an SVG plot of the places with coordinates (equirectangular, fitted to the
     places, with a graticule, dots that link to the places' pages and labels that do not overlap; no
     tiles, no network), and the same places as a table (the accessible alternative). -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:math="http://www.w3.org/2005/xpath-functions/math"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:svg="http://www.w3.org/2000/svg"
  xmlns:f="urn:x-tei-edition:functions"
  xmlns:fp="urn:x-tei-edition:private"
  xmlns:m="urn:x-tei-edition:modes"
  exclude-result-prefixes="#all">

  <xsl:function name="fp:step" as="xs:double">
    <xsl:param name="span" as="xs:double"/>
    <xsl:sequence select="(for $s in (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 30, 45, 90) return $s[$span div $s le 8], 90)[1]"/>
  </xsl:function>

  <!-- Label placement (the same rule as edition.js, for a font of 15 units and dots of radius 6):
       for each place in turn, the first of four positions (right, left, above, below the dot) whose
       box lies inside the plot and overlaps no label placed before and no other dot; 'on' is false
       when none does (the label then shows on hover and focus only, at the first position inside
       the plot). Boxes are kept in a coarse grid (a map from cell to the boxes that touch it), so
       a candidate is compared only with the boxes in the cells it touches: near-linear time.
       Maps of more than $fp:max-static-labels places get no static labels at all (on such a map
       only a few per cent of them fit, and the table lists them all): every label shows on hover
       and focus only. -->
  <xsl:variable name="fp:max-static-labels" as="xs:integer" select="400"/>
  <xsl:variable name="fp:cell" as="xs:double" select="64"/>

  <xsl:function name="fp:label-candidates" as="map(*)*">
    <xsl:param name="pt" as="map(*)"/>
    <xsl:variable name="fs" select="15"/>
    <xsl:variable name="g" select="6 + 4"/>
    <xsl:variable name="x" select="$pt?x"/>
    <xsl:variable name="y" select="$pt?y"/>
    <xsl:variable name="w" select="$pt?w"/>
    <xsl:sequence select="(
      map{'tx': $x + $g, 'ty': $y + 0.35 * $fs, 'anchor': 'start', 'x0': $x + $g, 'x1': $x + $g + $w, 'y0': $y - 0.5 * $fs, 'y1': $y + 0.55 * $fs},
      map{'tx': $x - $g, 'ty': $y + 0.35 * $fs, 'anchor': 'end', 'x0': $x - $g - $w, 'x1': $x - $g, 'y0': $y - 0.5 * $fs, 'y1': $y + 0.55 * $fs},
      map{'tx': $x, 'ty': $y - $g - 0.25 * $fs, 'anchor': 'middle', 'x0': $x - $w div 2, 'x1': $x + $w div 2, 'y0': $y - $g - 1.05 * $fs, 'y1': $y - $g},
      map{'tx': $x, 'ty': $y + $g + 0.8 * $fs, 'anchor': 'middle', 'x0': $x - $w div 2, 'x1': $x + $w div 2, 'y0': $y + $g, 'y1': $y + $g + 1.05 * $fs})"/>
  </xsl:function>

  <!-- the grid cells a box touches (cells of $fp:cell units; keys are integers) -->
  <xsl:function name="fp:cells" as="xs:integer*">
    <xsl:param name="b" as="map(*)"/>
    <xsl:sequence select="for $cx in xs:integer(floor($b?x0 div $fp:cell)) to xs:integer(floor($b?x1 div $fp:cell)),
                              $cy in xs:integer(floor($b?y0 div $fp:cell)) to xs:integer(floor($b?y1 div $fp:cell))
                          return ($cx + 64) * 65536 + ($cy + 64)"/>
  </xsl:function>

  <xsl:function name="fp:grid-add" as="map(*)">
    <xsl:param name="grid" as="map(*)"/>
    <xsl:param name="b" as="map(*)"/>
    <xsl:sequence select="fold-left(fp:cells($b), $grid, function($g, $k) { map:put($g, $k, ($g($k), $b)) })"/>
  </xsl:function>

  <xsl:function name="fp:place-labels" as="map(*)*">
    <xsl:param name="pts" as="map(*)*"/>
    <xsl:param name="W" as="xs:double"/>
    <xsl:param name="H" as="xs:double"/>
    <xsl:variable name="n" select="count($pts)"/>
    <xsl:choose>
      <xsl:when test="$n gt $fp:max-static-labels">
        <xsl:sequence select="for $pt in $pts return
          let $cands := fp:label-candidates($pt)
          return map:put(($cands[?x0 ge 2 and ?x1 le $W - 2 and ?y0 ge 2 and ?y1 le $H - 2], $cands)[1], 'on', false())"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="dots" select="map:merge(for $i in 1 to $n return
          let $d := map{'i': $i, 'x0': $pts[$i]?x - 7, 'x1': $pts[$i]?x + 7, 'y0': $pts[$i]?y - 7, 'y1': $pts[$i]?y + 7}
          return for $k in fp:cells($d) return map{$k: $d}, map{'duplicates': 'combine'})"/>
        <xsl:iterate select="1 to $n">
          <xsl:param name="placed" as="map(*)" select="map{}"/>
          <xsl:variable name="i" select="."/>
          <xsl:variable name="cands" select="fp:label-candidates($pts[$i])"/>
          <xsl:variable name="inside" select="$cands[?x0 ge 2 and ?x1 le $W - 2 and ?y0 ge 2 and ?y1 le $H - 2]"/>
          <xsl:variable name="free" select="$inside[
            let $c := ., $ks := fp:cells($c)
            return (every $k in $ks satisfies (every $q in $placed($k) satisfies not(fp:overlap($c, $q))))
               and (every $k in $ks satisfies (every $d in $dots($k)[?i ne $i] satisfies not(fp:overlap($c, $d))))][1]"/>
          <xsl:sequence select="if (exists($free)) then map:put($free, 'on', true())
                                else map:put(($inside, $cands)[1], 'on', false())"/>
          <xsl:next-iteration>
            <xsl:with-param name="placed" select="if (exists($free)) then fp:grid-add($placed, $free) else $placed"/>
          </xsl:next-iteration>
        </xsl:iterate>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <xsl:function name="fp:overlap" as="xs:boolean">
    <xsl:param name="a" as="map(*)"/>
    <xsl:param name="b" as="map(*)"/>
    <xsl:sequence select="$a?x0 lt $b?x1 and $b?x0 lt $a?x1 and $a?y0 lt $b?y1 and $b?y0 lt $a?y1"/>
  </xsl:function>

  <!-- the plot's background, coastlines and borders, graticule and its labels (both maps) -->
  <xsl:template name="fp:map-frame" xmlns="http://www.w3.org/2000/svg">
    <xsl:variable name="lat0" select="xs:double(@lat0)"/>
    <xsl:variable name="lat1" select="xs:double(@lat1)"/>
    <xsl:variable name="lon0" select="xs:double(@lon0)"/>
    <xsl:variable name="lon1" select="xs:double(@lon1)"/>
    <xsl:variable name="W" select="xs:integer(@width)"/>
    <xsl:variable name="H" select="xs:integer(@height)"/>
    <xsl:variable name="x" select="function($lon) { round(($lon - $lon0) div ($lon1 - $lon0) * $W * 10) div 10 }"/>
    <xsl:variable name="y" select="function($lat) { round(($lat1 - $lat) div ($lat1 - $lat0) * $H * 10) div 10 }"/>
    <rect x="0" y="0" width="{$W}" height="{$H}" class="map-bg"/>
    <!-- #14: coastlines and borders (Natural Earth), drawn at build time -->
    <xsl:for-each select="outline">
      <path d="{@land}" class="map-land"/>
      <path d="{@borders}" class="map-border"/>
    </xsl:for-each>
    <xsl:variable name="ls" select="fp:step($lon1 - $lon0)"/>
    <xsl:for-each select="xs:integer(ceiling($lon0 div $ls)) to xs:integer(floor($lon1 div $ls))">
      <xsl:variable name="v" select=". * $ls"/>
      <line x1="{$x($v)}" x2="{$x($v)}" y1="0" y2="{$H}" class="graticule"/>
      <xsl:if test="$x($v) + 48 lt $W">
        <text x="{$x($v) + 3}" y="{$H - 6}" class="graticule-label"><xsl:value-of select="concat(abs($v), if ($v lt 0) then '°W' else '°E')"/></text>
      </xsl:if>
    </xsl:for-each>
    <xsl:variable name="as" select="fp:step($lat1 - $lat0)"/>
    <xsl:for-each select="xs:integer(ceiling($lat0 div $as)) to xs:integer(floor($lat1 div $as))">
      <xsl:variable name="v" select=". * $as"/>
      <line x1="0" x2="{$W}" y1="{$y($v)}" y2="{$y($v)}" class="graticule"/>
      <xsl:if test="$y($v) gt 20">
        <text x="4" y="{$y($v) - 4}" class="graticule-label"><xsl:value-of select="concat(abs($v), if ($v lt 0) then '°S' else '°N')"/></text>
      </xsl:if>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="page[@kind = 'map'][not(@pages)]" mode="m:page">
    <xsl:variable name="root" select="string(@root)"/>
    <xsl:variable name="places" select="place"/>
    <xsl:call-template name="f:page">
      <xsl:with-param name="title" select="f:msg('nav.map')"/>
      <xsl:with-param name="root" select="$root"/>
      <xsl:with-param name="section" select="'map'"/>
      <xsl:with-param name="page-class" select="'page-map'"/>
      <xsl:with-param name="content">
        <h1><xsl:value-of select="f:msg('nav.map')"/></h1>
        <xsl:choose>
          <xsl:when test="empty($places)"><p><xsl:value-of select="f:msg('map.none')"/></p></xsl:when>
          <xsl:otherwise>
            <p><xsl:value-of select="f:msg-n('map.count', count($places))"/><xsl:text> </xsl:text><xsl:sequence select="f:msg-nodes('map.uncertain', map{'index': fp:link($root || 'places.html', f:msg('map.index-link'))})"/></p>
            <!-- the frame: toolkit/outputs/html/outline.py (Frame), which also projects the outline -->
            <xsl:variable name="lat0" select="xs:double(@lat0)"/>
            <xsl:variable name="lat1" select="xs:double(@lat1)"/>
            <xsl:variable name="lon0" select="xs:double(@lon0)"/>
            <xsl:variable name="lon1" select="xs:double(@lon1)"/>
            <xsl:variable name="W" select="xs:integer(@width)"/>
            <xsl:variable name="H" select="xs:integer(@height)"/>
            <xsl:variable name="x" select="function($lon) { round(($lon - $lon0) div ($lon1 - $lon0) * $W * 10) div 10 }"/>
            <xsl:variable name="y" select="function($lat) { round(($lat1 - $lat) div ($lat1 - $lat0) * $H * 10) div 10 }"/>
            <p class="map-skip"><a href="#places-table"><xsl:value-of select="f:msg('map.skip')"/></a></p>
            <figure class="map">
              <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {$W} {$H}" class="map-svg{if (count($places) gt $fp:max-static-labels) then ' map-hover-labels' else ''}" role="group" aria-labelledby="map-caption">
                <xsl:call-template name="fp:map-frame"/>
                <!-- Places, most mentioned first (their labels are placed first). Each dot is a link
                     named by its <title>. A label is drawn only where it fits inside the plot without
                     covering another label or dot (beside, left of, above or below its dot); the other
                     labels show on hover and focus. edition.js redoes this placement for the size the
                     map is shown at, with labels of a constant size on screen; this one is for a map
                     about 900 px wide and for readers without JavaScript. -->
                <xsl:variable name="pts" as="map(*)*">
                  <xsl:for-each select="$places">
                    <xsl:sort select="xs:integer((@documents[. castable as xs:integer], 0)[1])" order="descending"/>
                    <xsl:sort select="lower-case(@name)"/>
                    <xsl:sequence select="map{'p': ., 'x': $x(xs:double(@long)), 'y': $y(xs:double(@lat)),
                      'w': string-length(@name) * 9.2 + 2}"/>
                  </xsl:for-each>
                </xsl:variable>
                <xsl:variable name="labels" select="fp:place-labels($pts, $W, $H)"/>
                <xsl:for-each select="1 to count($pts)">
                  <xsl:variable name="pt" select="$pts[current()]"/>
                  <xsl:variable name="l" select="$labels[current()]"/>
                  <xsl:for-each select="$pt?p">
                    <a href="{$root}{@page}" id="place-{@anchor}" class="map-place">
                      <title><xsl:value-of select="concat(@name, ' (', @lat, ', ', @long, ')')"/></title>
                      <circle cx="{$pt?x}" cy="{$pt?y}" r="6" class="map-dot"/>
                      <text x="{$l?tx}" y="{$l?ty}" text-anchor="{$l?anchor}" class="map-label{if ($l?on) then ' map-label-on' else ''}"><xsl:value-of select="@name"/></text>
                    </a>
                  </xsl:for-each>
                </xsl:for-each>
              </svg>
              <figcaption id="map-caption"><xsl:value-of select="f:msg('map.caption')"/><xsl:if test="outline"><xsl:value-of select="f:msg('map.caption-outline')"/></xsl:if>.</figcaption>
            </figure>
            <div class="table-wrap" id="places-table" tabindex="-1"><table class="places-table">
              <caption><xsl:value-of select="f:msg('map.table')"/></caption>
              <!-- #14: three columns, readable at 390 px: latitude and longitude as one -->
              <thead><tr><th scope="col"><xsl:value-of select="f:msg('kind.place')"/></th><th scope="col"><xsl:value-of select="f:msg('entity.coordinates')"/></th><th scope="col"><xsl:value-of select="f:msg('nav.documents')"/></th></tr></thead>
              <tbody>
                <xsl:for-each select="$places">
                  <tr><td><a href="{$root}{@page}"><xsl:value-of select="@name"/></a></td><td class="coords"><xsl:value-of select="concat(@lat, ', ', @long)"/></td><td class="num"><xsl:value-of select="@documents"/></td></tr>
                </xsl:for-each>
              </tbody>
            </table></div>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>
  <!-- #18: the map of more places than mapdata.INLINE_PLACES (toolkit/outputs/html/mapdata.py).
       map.html shows an overview: the places grouped by cells of the plot (a circle with their
       number; a cell of one place is its dot, as on a small map); assets/map.js zooms into a
       group when it is chosen, loading the data files (assets/places*.js) of the part shown.
       The table is split into pages by initial (map.html, map-2.html …), as the index of places:
       without JavaScript it leads to every place. -->
  <xsl:function name="fp:short-count" as="xs:string">
    <xsl:param name="n" as="xs:integer"/>
    <xsl:sequence select="if ($n ge 10000) then round($n div 1000) || 'k'
                          else if ($n ge 1000) then format-number($n div 1000, '0.#') || 'k'
                          else string($n)"/>
  </xsl:function>

  <!-- map.js's words (the map page alone needs them): its keys, the counts in every plural form
       the catalogues have -->
  <xsl:function name="fp:map-messages" as="map(*)">
    <xsl:sequence select="map:merge((
      for $k in ('whole', 'zoom-out', 'loading', 'failed', 'more') return map{$k: f:msg('map.' || $k)},
      for $k in ('cluster', 'zoom'), $c in ('zero', 'one', 'two', 'few', 'many', 'other')
      return f:msg-opt('map.' || $k || '.' || $c) ! map{$k || '.' || $c: .}))"/>
  </xsl:function>

  <xsl:template match="page[@kind = 'map'][@pages]" mode="m:page">
    <xsl:variable name="root" select="string(@root)"/>
    <xsl:variable name="label" select="string(link[@number = current()/@number]/@label)"/>
    <xsl:call-template name="f:page">
      <xsl:with-param name="title" select="if (@number = '1') then f:msg('nav.map') else f:msg('index.page-title', map{'index': f:msg('nav.map'), 'label': $label})"/>
      <xsl:with-param name="root" select="$root"/>
      <xsl:with-param name="section" select="'map'"/>
      <xsl:with-param name="page-class" select="'page-map'"/>
      <xsl:with-param name="content">
        <h1><xsl:value-of select="f:msg('nav.map')"/></h1>
        <p><xsl:value-of select="f:msg-n('map.count', xs:integer(@total))"/><xsl:text> </xsl:text><xsl:sequence select="f:msg-nodes('map.uncertain', map{'index': fp:link($root || 'places.html', f:msg('map.index-link'))})"/></p>
        <xsl:if test="cluster">
          <p class="map-skip"><a href="#places-table"><xsl:value-of select="f:msg('map.skip')"/></a></p>
          <p class="map-note"><xsl:value-of select="f:msg('map.overview')"/></p>
          <xsl:variable name="config" select="map{
              'frame': array{ xs:double(@lat0), xs:double(@lat1), xs:double(@lon0), xs:double(@lon1), xs:integer(@width), xs:integer(@height) },
              'chunks': array{ chunk ! array{ string(@href), xs:double(@x0), xs:double(@y0), xs:double(@x1), xs:double(@y1), xs:integer(@count) } } }"/>
          <figure class="map map-large" data-root="{$root}" data-map="{serialize($config, map{'method': 'json'})}" data-messages="{serialize(fp:map-messages(), map{'method': 'json'})}">
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {@width} {@height}" class="map-svg map-clustered map-hover-labels" role="group" aria-labelledby="map-caption">
              <xsl:call-template name="fp:map-frame"/>
              <g class="map-overview">
                <xsl:for-each select="cluster">
                  <xsl:choose>
                    <xsl:when test="place">
                      <a href="{$root}{place/@page}" id="place-{place/@anchor}" class="map-place">
                        <title><xsl:value-of select="place/concat(@name, ' (', @lat, ', ', @long, ')')"/></title>
                        <circle cx="{@x}" cy="{@y}" r="6" class="map-dot"/>
                        <text x="{xs:double(@x) + 10}" y="{xs:double(@y) + 5.25}" text-anchor="start" class="map-label"><xsl:value-of select="place/@name"/></text>
                      </a>
                    </xsl:when>
                    <xsl:otherwise>
                      <xsl:variable name="n" select="xs:integer(@count)"/>
                      <g class="map-cluster" data-x="{@x}" data-y="{@y}" data-count="{$n}">
                        <title><xsl:value-of select="f:msg-n('map.cluster', $n)"/></title>
                        <circle cx="{@x}" cy="{@y}" r="{8 + 2 * round(math:log10($n) * 10) div 10}" style="--r: {8 + 2 * round(math:log10($n) * 10) div 10}" class="map-cluster-dot"/>
                        <text x="{@x}" y="{@y}" class="map-cluster-count"><xsl:value-of select="fp:short-count($n)"/></text>
                      </g>
                    </xsl:otherwise>
                  </xsl:choose>
                </xsl:for-each>
              </g>
            </svg>
            <figcaption id="map-caption"><xsl:value-of select="f:msg('map.caption')"/><xsl:if test="outline"><xsl:value-of select="f:msg('map.caption-outline')"/></xsl:if>.</figcaption>
          </figure>
        </xsl:if>
        <xsl:call-template name="fp:part-nav"><xsl:with-param name="label" select="f:msg('index.letters')"/></xsl:call-template>
        <div class="table-wrap" id="places-table" tabindex="-1"><table class="places-table">
          <caption><xsl:value-of select="f:msg('map.table')"/><xsl:if test="$label"><xsl:value-of select="' (' || $label || ')'"/></xsl:if></caption>
          <thead><tr><th scope="col"><xsl:value-of select="f:msg('kind.place')"/></th><th scope="col"><xsl:value-of select="f:msg('entity.coordinates')"/></th><th scope="col"><xsl:value-of select="f:msg('nav.documents')"/></th></tr></thead>
          <tbody>
            <xsl:for-each select="place">
              <tr><td><a href="{$root}{@page}"><xsl:value-of select="@name"/></a></td><td class="coords"><xsl:value-of select="concat(@lat, ', ', @long)"/></td><td class="num"><xsl:value-of select="@documents"/></td></tr>
            </xsl:for-each>
          </tbody>
        </table></div>
        <xsl:if test="cluster"><script src="{$root}assets/map.js" defer="defer"></script></xsl:if>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- #18: a data file of the large map (assets/places.js, places-2.js …): its places as
       [name, page, anchor, latitude, longitude, documents], which map.js reads by number -->
  <xsl:template match="page[@kind = 'map-data']" mode="m:page">
    <xsl:variable name="rows" select="array{ place ! array{ string(@name), string(@page), string(@anchor),
        xs:double(@lat), xs:double(@long), xs:integer(@documents) } }"/>
    <xsl:text>(window.EDITION_PLACES = window.EDITION_PLACES || {})[</xsl:text>
    <xsl:value-of select="@chunk"/>
    <xsl:text>] = </xsl:text>
    <!-- JSON with "<" escaped so no text can close a script element -->
    <xsl:value-of select="replace(serialize($rows, map{'method': 'json'}), '&lt;', '\\u003c')"/>
    <xsl:text>;&#10;</xsl:text>
  </xsl:template>
</xsl:stylesheet>
