<?xml version="1.0" encoding="UTF-8"?>
<!-- The map: an SVG plot of the places with coordinates (equirectangular, fitted to the
     places, with a graticule and labels; no tiles, no network), and the same places as a table. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:math="http://www.w3.org/2005/xpath-functions/math"
  xmlns:svg="http://www.w3.org/2000/svg"
  xmlns:f="urn:x-tei-edition:functions"
  xmlns:fp="urn:x-tei-edition:private"
  xmlns:m="urn:x-tei-edition:modes"
  exclude-result-prefixes="#all">

  <xsl:function name="fp:step" as="xs:double">
    <xsl:param name="span" as="xs:double"/>
    <xsl:sequence select="(for $s in (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 30, 45, 90) return $s[$span div $s le 8], 90)[1]"/>
  </xsl:function>

  <xsl:template match="page[@kind = 'map']" mode="m:page">
    <xsl:variable name="root" select="string(@root)"/>
    <xsl:variable name="places" select="place"/>
    <xsl:call-template name="f:page">
      <xsl:with-param name="title" select="'Map'"/>
      <xsl:with-param name="root" select="$root"/>
      <xsl:with-param name="section" select="'map'"/>
      <xsl:with-param name="page-class" select="'page-map'"/>
      <xsl:with-param name="content">
        <h1>Map</h1>
        <xsl:choose>
          <xsl:when test="empty($places)"><p>No place in this edition has coordinates.</p></xsl:when>
          <xsl:otherwise>
            <p><xsl:value-of select="count($places)"/> place<xsl:if test="count($places) != 1">s</xsl:if> with coordinates. Places without certain coordinates (districts, regions, states) are listed in the <a href="{$root}places.html">index of places</a>.</p>
            <xsl:variable name="lats" select="$places/xs:double(@lat)"/>
            <xsl:variable name="lons" select="$places/xs:double(@long)"/>
            <xsl:variable name="pad" select="max((1.5, (max($lons) - min($lons)) * 0.12, (max($lats) - min($lats)) * 0.12))"/>
            <xsl:variable name="lat0" select="max((-90, min($lats) - $pad))"/>
            <xsl:variable name="lat1" select="min((90, max($lats) + $pad))"/>
            <xsl:variable name="lon0" select="max((-180, min($lons) - $pad * 1.5))"/>
            <xsl:variable name="lon1" select="min((180, max($lons) + $pad * 1.5))"/>
            <xsl:variable name="k" select="math:cos(($lat0 + $lat1) div 2 * math:pi() div 180)"/>
            <xsl:variable name="W" select="900"/>
            <xsl:variable name="H" select="max((240, min((900, round($W * ($lat1 - $lat0) div (($lon1 - $lon0) * $k))))))"/>
            <xsl:variable name="x" select="function($lon) { round(($lon - $lon0) div ($lon1 - $lon0) * $W * 10) div 10 }"/>
            <xsl:variable name="y" select="function($lat) { round(($lat1 - $lat) div ($lat1 - $lat0) * $H * 10) div 10 }"/>
            <figure class="map">
              <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {$W} {$H}" class="map-svg" role="group" aria-labelledby="map-caption">
                <rect x="0" y="0" width="{$W}" height="{$H}" class="map-bg"/>
                <xsl:variable name="ls" select="fp:step($lon1 - $lon0)"/>
                <xsl:for-each select="xs:integer(ceiling($lon0 div $ls)) to xs:integer(floor($lon1 div $ls))">
                  <xsl:variable name="v" select=". * $ls"/>
                  <line x1="{$x($v)}" x2="{$x($v)}" y1="0" y2="{$H}" class="graticule"/>
                  <text x="{$x($v) + 3}" y="{$H - 6}" class="graticule-label"><xsl:value-of select="concat(abs($v), if ($v lt 0) then '°W' else '°E')"/></text>
                </xsl:for-each>
                <xsl:variable name="as" select="fp:step($lat1 - $lat0)"/>
                <xsl:for-each select="xs:integer(ceiling($lat0 div $as)) to xs:integer(floor($lat1 div $as))">
                  <xsl:variable name="v" select=". * $as"/>
                  <line x1="0" x2="{$W}" y1="{$y($v)}" y2="{$y($v)}" class="graticule"/>
                  <text x="4" y="{$y($v) - 4}" class="graticule-label"><xsl:value-of select="concat(abs($v), if ($v lt 0) then '°S' else '°N')"/></text>
                </xsl:for-each>
                <!-- labels of places close to an earlier one move down a line, so none overlap -->
                <xsl:variable name="pts" as="map(*)*" select="for $p in $places return
                  map{'p': $p, 'x': $x(xs:double($p/@long)), 'y': $y(xs:double($p/@lat))}"/>
                <xsl:for-each select="1 to count($pts)">
                  <xsl:variable name="i" select="."/>
                  <xsl:variable name="pt" select="$pts[$i]"/>
                  <xsl:variable name="px" select="$pt?x"/>
                  <xsl:variable name="py" select="$pt?y"/>
                  <xsl:variable name="near" select="count($pts[position() lt $i][abs(?x - $px) lt 150 and abs(?y - $py) lt 22])"/>
                  <xsl:for-each select="$pt?p">
                    <a href="{$root}{@page}" id="place-{f:slug(@id)}" class="map-place">
                      <title><xsl:value-of select="concat(@name, ' (', @lat, ', ', @long, ')')"/></title>
                      <circle cx="{$px}" cy="{$py}" r="6" class="map-dot"/>
                      <text x="{if ($px gt $W - 140) then $px - 10 else $px + 10}" y="{$py + 5 + 22 * $near}"
                            text-anchor="{if ($px gt $W - 140) then 'end' else 'start'}" class="map-label"><xsl:value-of select="@name"/></text>
                    </a>
                  </xsl:for-each>
                </xsl:for-each>
              </svg>
              <figcaption id="map-caption">Places with coordinates, plotted by latitude and longitude (equirectangular; no base map).</figcaption>
            </figure>
            <div class="table-wrap"><table class="places-table">
              <caption>Places on the map</caption>
              <thead><tr><th scope="col">Place</th><th scope="col">Latitude</th><th scope="col">Longitude</th><th scope="col">Documents</th></tr></thead>
              <tbody>
                <xsl:for-each select="$places">
                  <tr><td><a href="{$root}{@page}"><xsl:value-of select="@name"/></a></td><td><xsl:value-of select="@lat"/></td><td><xsl:value-of select="@long"/></td><td><xsl:value-of select="@documents"/></td></tr>
                </xsl:for-each>
              </tbody>
            </table></div>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>
</xsl:stylesheet>
